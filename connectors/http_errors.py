"""The one error hierarchy of every connector, and the one table that maps HTTP outcomes to it.

Each system adds only what is its own: status overrides (`overrides=` here; the legacy API's body `code` and its
login table in `nationaldb/errors.py`) and how its error bodies are read. `outcome_unknown` says whether the request
may have been processed although no complete answer came back: check before sending again.
"""
from __future__ import annotations

import email.utils
import logging
import time
from collections.abc import Callable
from datetime import timezone

import requests
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError

log = logging.getLogger(__name__)


BODY_LIMIT = 500  # characters of a response body kept for the attempt log


class ConnectorError(Exception):
    """Base of every error a connector raises; `retryable` tells the sync runner whether to try again."""

    retryable = False
    outcome_unknown = False       # True: the request may have been processed; find out before sending it again

    def __init__(self, message: str, *, system: str = "", status: int | None = None, detail: str = ""):
        super().__init__(message)
        self.message = message
        self.system = system
        self.status = status
        self.detail = detail[:BODY_LIMIT]  # a short excerpt of the response, for the sync dashboard

    @property
    def body(self) -> str:
        """The response excerpt (the legacy connector's name for `detail`)."""
        return self.detail


class TransientError(ConnectorError):
    """Timeout, connection error, 429 or 5xx: try again later (after `retry_after` seconds when the server said)."""

    retryable = True

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class AuthError(ConnectorError):
    """401/403: bad or revoked credentials. Not retryable without a configuration change."""


class NotFoundError(ConnectorError):
    """404 on a read: the thing looked up does not exist."""


class RejectedError(ConnectorError):
    """The remote side refused our data (4xx); `message` is meant for a person to read and fix the data.

    `errors` holds the remote's validation items where it gives them (legacy API: `{"message", "members"}`).
    """

    def __init__(self, message: str, *, errors: list | None = None, **kwargs):
        super().__init__(message, **kwargs)
        self.errors = errors or []


class UnknownOutcomeError(ConnectorError):
    """The request left but no complete answer came back: find out what happened before sending again."""

    outcome_unknown = True


class MalformedResponseError(ConnectorError):
    """A 2xx answer we cannot understand (not JSON, missing fields): a contract problem, not retried blindly."""


# The one mapping table: exact statuses first, then the status family. Everything else is unexpected.
STATUS_ERRORS: dict[int, type[ConnectorError]] = {
    401: AuthError,
    403: AuthError,
    404: NotFoundError,
    408: TransientError,
    425: TransientError,
    429: TransientError,
}
FAMILY_ERRORS: dict[int, type[ConnectorError]] = {4: RejectedError, 5: TransientError}

# Failures raised by requests, in the order they must be tested (subclasses before their bases).
# The flag says whether the request may already have reached the server.
EXCEPTION_TABLE: tuple[tuple[type[Exception], bool], ...] = (
    (requests.exceptions.ConnectTimeout, False),   # never connected: nothing was sent
    (requests.exceptions.ReadTimeout, True),       # sent, no answer in time
    (requests.exceptions.ChunkedEncodingError, True),   # answer cut off mid-body
    (requests.exceptions.ContentDecodingError, True),
    (requests.exceptions.SSLError, False),
    (requests.exceptions.ConnectionError, True),   # includes "connection aborted" after sending: assume it arrived
    (requests.exceptions.RequestException, True),
)


def error_class_for_status(status: int, overrides: dict[int, type[ConnectorError]] | None = None):
    """The error type for a non-2xx status, from `overrides`, then the table, then the status family."""
    if overrides and status in overrides:
        return overrides[status]
    if status in STATUS_ERRORS:
        return STATUS_ERRORS[status]
    return FAMILY_ERRORS.get(status // 100, MalformedResponseError)


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


def error_for_response(
    response: requests.Response,
    *,
    system: str,
    action: str,
    message_reader: Callable[[requests.Response], str],
    overrides: dict[int, type[ConnectorError]] | None = None,
) -> ConnectorError:
    """Build the typed error for a non-2xx response; `message_reader` extracts the remote's human message."""
    status = response.status_code
    cls = error_class_for_status(status, overrides)
    remote = message_reader(response) or response.reason or ""
    message = f"{system}: {action} failed with HTTP {status}" + (f": {remote}" if remote else "")
    kwargs = {"system": system, "status": status, "detail": response.text[:500]}
    if issubclass(cls, TransientError):
        return cls(message, retry_after=parse_retry_after(response.headers.get("Retry-After")), **kwargs)
    return cls(message, **kwargs)


def error_for_exception(exc: Exception, *, system: str, action: str, idempotent: bool) -> ConnectorError:
    """Classify a requests failure. After sending, a non-idempotent request has an unknown outcome."""
    may_have_arrived = next((sent for kind, sent in EXCEPTION_TABLE if isinstance(exc, kind)), True)
    if may_have_arrived and _never_connected(exc):
        may_have_arrived = False
    reason = type(exc).__name__
    if may_have_arrived and not idempotent:
        return UnknownOutcomeError(
            f"{system}: {action}: no complete answer ({reason}); the request may have been processed",
            system=system,
        )
    return TransientError(f"{system}: {action}: {reason}", system=system)


def _never_connected(exc: Exception) -> bool:
    """A ConnectionError raised while connecting (refused, DNS, connect timeout): the request never left."""
    reason = exc.args[0] if exc.args else None
    if isinstance(reason, MaxRetryError):
        reason = reason.reason
    return isinstance(reason, ConnectTimeoutError)  # NewConnectionError and NameResolutionError derive from it


def send(
    session: requests.Session,
    method: str,
    url: str,
    *,
    system: str,
    action: str,
    idempotent: bool,
    message_reader: Callable[[requests.Response], str],
    overrides: dict[int, type[ConnectorError]] | None = None,
    **kwargs,
) -> requests.Response:
    """Send one request and return the 2xx response, or raise the typed error. Never logs headers (secrets)."""
    started = time.monotonic()
    try:
        response = session.request(method, url, **kwargs)
    except requests.exceptions.RequestException as exc:
        log.info("%s %s %s -> %s", system, method, action, type(exc).__name__)
        raise error_for_exception(exc, system=system, action=action, idempotent=idempotent) from exc
    log.info("%s %s %s -> %s in %.0f ms", system, method, action, response.status_code,
             (time.monotonic() - started) * 1000)
    if 200 <= response.status_code < 300:
        return response
    raise error_for_response(response, system=system, action=action, message_reader=message_reader,
                             overrides=overrides)


def json_body(response: requests.Response, *, system: str, action: str):
    """The decoded JSON of a 2xx response, or MalformedResponseError."""
    try:
        return response.json()
    except ValueError:
        raise MalformedResponseError(f"{system}: {action}: the answer is not JSON", system=system,
                                     status=response.status_code, detail=response.text[:500]) from None

