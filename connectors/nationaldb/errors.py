"""Typed errors of the legacy national drug database API and the one table that maps outcomes to them."""
from __future__ import annotations

import json

import requests
from urllib3.exceptions import NameResolutionError, NewConnectionError

from connectors.http_errors import parse_retry_after

BODY_LIMIT = 500  # characters of a response body kept for the attempt log


class NationalDbError(Exception):
    """Base of every failure of a call to the national drug database."""

    retryable = False
    outcome_unknown = False  # True: the request may have been processed; check before sending it again

    def __init__(self, message: str, *, status: int | None = None, body: str = ""):
        super().__init__(message)
        self.message = message
        self.status = status
        self.body = body[:BODY_LIMIT]


class TransientError(NationalDbError):
    """Timeout, connection error, 5xx or 429: retry later with backoff (honouring `retry_after` seconds)."""

    retryable = True

    def __init__(self, message: str, *, status: int | None = None, body: str = "", retry_after: float | None = None):
        super().__init__(message, status=status, body=body)
        self.retry_after = retry_after


class UnknownOutcomeError(TransientError):
    """The request may have reached the server (read timeout, broken answer): GET or DELETE before re-POSTing."""

    outcome_unknown = True


class TokenRejectedError(TransientError):
    """401: the token was refused. The client logs in again once; if that does not help, retry later."""


class AuthError(NationalDbError):
    """The credentials (or the account's rights) were refused: a person must fix the configuration."""


class RejectedError(NationalDbError):
    """The national side refused the data (4xx): fix the document and send it again.

    `errors` holds the validation items as `{"message": str, "members": [str, ...]}`.
    """

    def __init__(self, message: str, *, status: int | None = None, body: str = "", errors: list | None = None):
        super().__init__(message, status=status, body=body)
        self.errors = errors or []


class MissingDataError(ValueError):
    """A document cannot be built: required values are missing or too long. The document is `held`.

    `problems` lists `{"product": name or None for the document itself, "field": national key, "reason": text}`.
    """

    def __init__(self, problems: list[dict]):
        self.problems = problems
        super().__init__("; ".join(f"{p['product'] or 'document'}: {p['field']} {p['reason']}" for p in problems))


class NothingToReportError(ValueError):
    """The document holds only non-drug goods, so nothing goes to the national database (`cancelled`)."""


# The one table: HTTP status -> error type. Statuses not listed fall back by class (see `error_type_for`).
# 502/504 come from a gateway that may have forwarded the request, so their outcome is unknown.
STATUS_TABLE: dict[int, type[NationalDbError]] = {
    401: TokenRejectedError,
    403: AuthError,
    408: TransientError,
    429: TransientError,
    502: UnknownOutcomeError,
    504: UnknownOutcomeError,
}
# During login a refusal means bad credentials, not bad data.
LOGIN_TABLE: dict[int, type[NationalDbError]] = {**STATUS_TABLE, 400: AuthError, 401: AuthError}


def error_type_for(status: int, *, login: bool = False) -> type[NationalDbError]:
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


def classify(outcome: requests.Response | requests.RequestException, *, login: bool = False) -> NationalDbError | None:
    """The typed error for a response or a requests exception; None for a success (HTTP 200 and body code 200)."""
    if isinstance(outcome, requests.RequestException):
        return classify_exception(outcome)
    return classify_response(outcome, login=login)


def classify_exception(exc: requests.RequestException) -> TransientError:
    """Connect-phase failures are plain transient; anything after the request may have left is of unknown outcome."""
    if isinstance(exc, requests.ConnectTimeout) or _never_connected(exc):
        return TransientError(f"cannot connect: {type(exc).__name__}")
    if isinstance(exc, requests.Timeout):
        return UnknownOutcomeError("timed out waiting for the answer")
    return UnknownOutcomeError(f"broken connection: {type(exc).__name__}")


def _never_connected(exc: requests.RequestException) -> bool:
    if not isinstance(exc, requests.ConnectionError) or isinstance(exc, requests.exceptions.SSLError):
        return False
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, (NewConnectionError, NameResolutionError))


def classify_response(response: requests.Response, *, login: bool = False) -> NationalDbError | None:
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
            return UnknownOutcomeError("HTTP 200 without a success code", status=200, body=_snippet(response, login))
    error_type = error_type_for(status, login=login)
    message = extract_message(body) or f"HTTP {response.status_code} without a message"
    snippet = _snippet(response, login)
    if issubclass(error_type, TransientError):
        return error_type(message, status=response.status_code, body=snippet,
                          retry_after=parse_retry_after(response.headers.get("Retry-After")))
    if error_type is RejectedError:
        return RejectedError(message, status=response.status_code, body=snippet, errors=validation_errors(body))
    return error_type(message, status=response.status_code, body=snippet)


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
