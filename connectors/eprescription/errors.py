"""Errors of the e-prescription connector: the shared typed errors plus this system's message format."""
from __future__ import annotations

import requests

from connectors.http_errors import (
    AuthError,
    ConnectorError,
    MalformedResponseError,
    NotFoundError,
    RejectedError,
    TransientError,
    UnknownOutcomeError,
)

__all__ = [
    "SYSTEM", "REPORT_OVERRIDES", "AuthError", "ConnectorError", "MalformedResponseError", "NotFoundError",
    "RejectedError", "TransientError", "UnknownOutcomeError", "remote_message",
]

SYSTEM = "e-prescription"

# On the dispensing report a 404 means "this prescription/line does not exist": our data is wrong, a person must look.
REPORT_OVERRIDES = {404: RejectedError}


def remote_message(response: requests.Response) -> str:
    """The human message of an error answer: `message`, `mess` or `error.message`, else a short body excerpt."""
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:200]
    if not isinstance(body, dict):
        return str(body)[:200]
    error = body.get("error") if isinstance(body.get("error"), dict) else {}
    for value in (body.get("message"), body.get("mess"), error.get("message"), body.get("title")):
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""
