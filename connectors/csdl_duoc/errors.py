"""The CSDL Dược v2 part of the one error hierarchy (connectors/http_errors.py): its login overrides and how its
answers carry messages."""
from __future__ import annotations

import requests

from connectors.http_errors import (  # noqa: F401  (re-exported: callers import the connector's errors from here)
    AuthError,
    ConnectorError,
    MalformedResponseError,
    NotFoundError,
    RejectedError,
    TransientError,
    UnknownOutcomeError,
)

SYSTEM = "CSDL Dược v2"

# During login any refusal of the form means bad credentials, never bad data.
LOGIN_OVERRIDES: dict[int, type[ConnectorError]] = {400: AuthError, 422: AuthError}


def read_messages(response: requests.Response) -> str:
    """The server's human-readable messages, read defensively from the usual envelope keys, joined by '; '."""
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:300]
    return "; ".join(dict.fromkeys(m for m in message_list(body) if m))


def message_list(body) -> list[str]:
    """Flatten `messages`/`errors`/`message`/`error`/`detail` (strings, lists or {message} objects) into strings."""
    if isinstance(body, str):
        return [body.strip()]
    if isinstance(body, list):
        return [m for item in body for m in message_list(item)]
    if not isinstance(body, dict):
        return []
    found = [m for key in ("messages", "errors", "message", "error", "detail", "error_description")
             if key in body for m in message_list(body[key])]
    if "field" in body:  # e.g. {"field": "items[0].quantity", "message": "…"}
        return [f"{body['field']}: {m}" for m in found or [str(body.get("reason", ""))]]
    return found
