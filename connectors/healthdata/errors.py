"""Errors of the health data connector: the shared typed errors plus reading OperationOutcome and OAuth errors."""
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
    "SYSTEM", "TOKEN_OVERRIDES", "AuthError", "ConnectorError", "MalformedResponseError", "NotFoundError",
    "RejectedError", "TransientError", "UnknownOutcomeError", "operation_outcome_message", "remote_message",
]

SYSTEM = "health-data"

# RFC 6749 §5.2: a bad client id/secret comes back as 400 invalid_client as often as 401.
TOKEN_OVERRIDES = {400: AuthError}


def operation_outcome_message(outcome: dict) -> str:
    """The issues of an OperationOutcome as one readable line: "<severity>: <text> (at <where>)" joined by "; "."""
    parts = []
    for issue in outcome.get("issue") or []:
        if not isinstance(issue, dict):
            continue
        text = issue.get("diagnostics") or (issue.get("details") or {}).get("text") or issue.get("code") or "error"
        where = issue.get("expression") or issue.get("location") or []
        severity = issue.get("severity", "error")
        parts.append(f"{severity}: {text}" + (f" (at {', '.join(where)})" if where else ""))
    return "; ".join(parts)


def remote_message(response: requests.Response) -> str:
    """The human message of an error answer: an OperationOutcome, an OAuth error, or a short body excerpt."""
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:200]
    if not isinstance(body, dict):
        return str(body)[:200]
    if body.get("resourceType") == "OperationOutcome":
        return operation_outcome_message(body)
    if "error" in body and isinstance(body["error"], str):
        return body["error"] + (f": {body['error_description']}" if body.get("error_description") else "")
    message = body.get("message")
    return message.strip() if isinstance(message, str) else ""
