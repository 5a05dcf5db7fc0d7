"""The legacy national drug database API's part of the one error hierarchy (connectors/http_errors.py): its status
table (the body `code` counts as the status, 401 means "log in again", a gateway's 502/504 may have forwarded the
request) and how its answers carry messages."""
from __future__ import annotations

import json

import requests

from connectors.http_errors import (
    BODY_LIMIT,
    AuthError,
    ConnectorError,
    RejectedError,
    TransientError,
    _never_connected,
    parse_retry_after,
)
from connectors.http_errors import UnknownOutcomeError as _UnknownOutcome

__all__ = [
    "BODY_LIMIT", "AuthError", "ConnectorError", "NationalDbError", "RejectedError", "TokenRejectedError",
    "TransientError", "UnknownOutcomeError", "classify", "classify_exception", "classify_response", "error_type_for",
    "extract_message", "parse_body", "parse_retry_after", "validation_errors",
]

SYSTEM = "national drug database"
NationalDbError = ConnectorError  # the legacy name of the shared base


class UnknownOutcomeError(_UnknownOutcome, TransientError):
    """The legacy API can be asked (GET the invoice, DELETE a receipt/issue), so an unknown outcome is retried:
    the sync runner checks first, then sends again."""


class TokenRejectedError(TransientError):
    """401: the token was refused. The client logs in again once; if that does not help, retry later."""


# The one table: HTTP status -> error type. Statuses not listed fall back by class (see `error_type_for`).
# 502/504 come from a gateway that may have forwarded the request, so their outcome is unknown.
STATUS_TABLE: dict[int, type[ConnectorError]] = {
    401: TokenRejectedError,
    403: AuthError,
    408: TransientError,
    429: TransientError,
    502: UnknownOutcomeError,
    504: UnknownOutcomeError,
}
# During login a refusal means bad credentials, not bad data.
LOGIN_TABLE: dict[int, type[ConnectorError]] = {**STATUS_TABLE, 400: AuthError, 401: AuthError}


def error_type_for(status: int, *, login: bool = False) -> type[ConnectorError]:
    """The error type for a non-success HTTP status."""
    table = LOGIN_TABLE if login else STATUS_TABLE
    if status in table:
        return table[status]
    if status >= 500:
        return TransientError
    if status >= 400:
        return RejectedError
    # 2xx other than a proper success, 1xx, 3xx (redirects are not followed): an answer we cannot trust.
    return UnknownOutcomeError


def classify(outcome: requests.Response | requests.RequestException, *, login: bool = False) -> ConnectorError | None:
    """The typed error for a response or a requests exception; None for a success (HTTP 200 and body code 200)."""
    if isinstance(outcome, requests.RequestException):
        return classify_exception(outcome)
    return classify_response(outcome, login=login)


def classify_exception(exc: requests.RequestException) -> TransientError:
    """Connect-phase failures are plain transient; anything after the request may have left is of unknown outcome."""
    if isinstance(exc, requests.ConnectTimeout) or (
            isinstance(exc, requests.ConnectionError) and not isinstance(exc, requests.exceptions.SSLError)
            and _never_connected(exc)):
        return TransientError(f"cannot connect: {type(exc).__name__}", system=SYSTEM)
    if isinstance(exc, requests.Timeout):
        return UnknownOutcomeError("timed out waiting for the answer", system=SYSTEM)
    return UnknownOutcomeError(f"broken connection: {type(exc).__name__}", system=SYSTEM)


def classify_response(response: requests.Response, *, login: bool = False) -> ConnectorError | None:
    """Apply the table to a complete response. The body's `code` counts as the status when HTTP says 200."""
    body = parse_body(response)
    status = response.status_code
    if status == 200:
        code = body.get("code") if isinstance(body, dict) else None
        if code == 200:
            return None
        if isinstance(code, int) and not isinstance(code, bool):
            status = code
        else:
            return UnknownOutcomeError("HTTP 200 without a success code", system=SYSTEM, status=200,
                                       detail=_snippet(response, login))
    error_type = error_type_for(status, login=login)
    message = extract_message(body) or f"HTTP {response.status_code} without a message"
    snippet = _snippet(response, login)
    common = {"system": SYSTEM, "status": response.status_code, "detail": snippet}
    if issubclass(error_type, TransientError):
        return error_type(message, retry_after=parse_retry_after(response.headers.get("Retry-After")), **common)
    if error_type is RejectedError:
        return RejectedError(message, errors=validation_errors(body), **common)
    return error_type(message, **common)


def _snippet(response: requests.Response, login: bool) -> str:
    # A login answer may hold a token: never keep its raw body.
    if login:
        return extract_message(parse_body(response))[:BODY_LIMIT]
    return response.text[:BODY_LIMIT]


def parse_body(response: requests.Response):
    """The decoded JSON body, or None when the body is empty or not JSON."""
    if not response.content:
        return None
    try:
        return json.loads(response.content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None


def validation_errors(body) -> list[dict]:
    """The ABP envelope's `error.validationErrors` as `{"message", "members"}` dicts."""
    error = body.get("error") if isinstance(body, dict) else None
    items = error.get("validationErrors") if isinstance(error, dict) else None
    if not isinstance(items, list):
        return []
    return [
        {"message": str(item.get("message") or ""), "members": [str(m) for m in item.get("members") or []]}
        for item in items if isinstance(item, dict)
    ]


def extract_message(body) -> str:
    """A human message from any answer shape: `mess`, `message`, `error.message`, validation items, a bare string."""
    if isinstance(body, str):
        return body.strip()
    if not isinstance(body, dict):
        return ""
    parts = [body.get("mess"), body.get("message")]
    error = body.get("error")
    if isinstance(error, dict):
        parts.append(error.get("message"))
    elif isinstance(error, str):
        parts.append(error)
    for item in validation_errors(body):
        members = ", ".join(item["members"])
        parts.append(f"{item['message']} ({members})" if members else item["message"])
    seen: list[str] = []
    for part in parts:
        text = str(part).strip() if part is not None else ""
        if text and text not in seen:
            seen.append(text)
    return "; ".join(seen)
