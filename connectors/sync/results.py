"""What one attempt came to (`Result`), and the one mapping from a connector error to an outcome."""
from __future__ import annotations

from dataclasses import dataclass

from connectors.http_errors import AuthError, ConnectorError, RejectedError, TransientError

SENT, TRANSIENT, UNKNOWN, REJECTED, AUTH, CANCELLED = "sent", "transient", "unknown", "rejected", "auth", "cancelled"
LOGIN_REFUSED = "national login refused: "


@dataclass(frozen=True)
class Result:
    """The outcome of one attempt: what the dashboard and the attempt log show."""

    outcome: str                   # sent | transient | unknown | rejected | auth | cancelled (| a lane's own)
    http_status: int | None = None
    body: str = ""
    remote_id: str | None = None
    message: str = ""
    outcome_unknown: bool = False  # after this attempt, may the document be on the national side unconfirmed?
    retry_after: float | None = None
    problems: list[dict] | None = None


def failure(error: ConnectorError, *, outcome_unknown: bool | None = None, transient: bool = False,
            otherwise: str = REJECTED, problems: list[dict] | None = None) -> Result:
    """The one error -> outcome table: transient errors retry, rejections and refused credentials wait for a person.

    `outcome_unknown` is what the lane knows after this attempt (default: what the error says). An error of unknown
    outcome is UNKNOWN when that flag holds, else TRANSIENT (e.g. a look-up that may be repeated freely). `transient`
    makes the lane's own retryable cases (v2: a token dropped right after a fresh login) retry; `otherwise` is the
    outcome of errors no row matches (not found, malformed answers); `problems` replaces a rejection's own items.
    """
    flag = error.outcome_unknown if outcome_unknown is None else outcome_unknown
    common = {"http_status": error.status, "body": error.detail, "message": error.message, "outcome_unknown": flag}
    if error.outcome_unknown:
        return Result(UNKNOWN if flag else TRANSIENT, **common)
    if isinstance(error, TransientError) or transient:
        return Result(TRANSIENT, retry_after=getattr(error, "retry_after", None), **common)
    if isinstance(error, AuthError):
        return Result(AUTH, **{**common, "message": LOGIN_REFUSED + error.message})
    if isinstance(error, RejectedError):
        return Result(REJECTED, problems=problems or error.errors or None, **common)
    return Result(otherwise, **common)


def crashed(exc: Exception, *, outcome_unknown: bool) -> Result:
    """A bug in our own code during a send: never lost (the message is recorded), never blindly resent."""
    return Result(UNKNOWN if outcome_unknown else TRANSIENT, message=f"internal error: {type(exc).__name__}",
                  outcome_unknown=outcome_unknown)
