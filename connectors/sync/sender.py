"""Running one job against the national API and saying what happened, without touching the database."""
from __future__ import annotations

from dataclasses import dataclass

from connectors.nationaldb.client import LegacyClient
from connectors.nationaldb.errors import (
    AuthError,
    NationalDbError,
    RejectedError,
    TransientError,
    UnknownOutcomeError,
)
from connectors.nationaldb.payloads import INVOICE

from .plans import DELETE, Job

SENT, TRANSIENT, UNKNOWN, REJECTED, AUTH, CANCELLED = "sent", "transient", "unknown", "rejected", "auth", "cancelled"


@dataclass(frozen=True)
class Result:
    """The outcome of one attempt: what the dashboard and the attempt log show."""

    outcome: str                   # sent | transient | unknown | rejected | auth | cancelled
    http_status: int | None = None
    body: str = ""
    remote_id: str | None = None
    message: str = ""
    outcome_unknown: bool = False  # after this attempt, may the document be on the national side unconfirmed?
    retry_after: float | None = None
    problems: list[dict] | None = None


def execute(client: LegacyClient, job: Job) -> Result:
    """Make the calls of a job. A POST whose previous outcome is unknown is preceded by a GET or a DELETE."""
    posting = False
    try:
        if job.action == DELETE:
            answer = client.delete(job.api_kind, job.facility_code, job.number)
            note = "deleted on the national system" if answer.found else "not on the national system: nothing to delete"
            return Result(SENT, answer.status, answer.body, message=note)
        if job.check_first:
            if job.api_kind == INVOICE:
                if client.get_invoice(job.facility_code, job.number):
                    return Result(SENT, 200, message="found on the national system by look-up")
                if job.voided:
                    return Result(CANCELLED, 404, message="voided and never arrived: nothing sent")
            else:
                client.delete(job.api_kind, job.facility_code, job.number)
        posting = True
        create = {"hoa_don": client.post_invoice, "phieu_nhap": client.post_receipt, "phieu_xuat": client.post_issue}
        answer = create[job.api_kind](job.payload)
        return Result(SENT, answer.status, answer.body, answer.national_id, "recorded")
    except NationalDbError as error:
        unknown = isinstance(error, UnknownOutcomeError) if posting else job.check_first
        return failure(error, unknown and job.action != DELETE)


def failure(error: NationalDbError, outcome_unknown: bool) -> Result:
    """Map a typed error to an outcome: transient ones retry, rejections and refused credentials wait for a person."""
    common = {"http_status": error.status, "body": error.body, "message": error.message,
              "outcome_unknown": outcome_unknown}
    if isinstance(error, UnknownOutcomeError):
        return Result(UNKNOWN if outcome_unknown else TRANSIENT, **common)
    if isinstance(error, TransientError):
        return Result(TRANSIENT, retry_after=error.retry_after, **common)
    if isinstance(error, AuthError):
        return Result(AUTH, **{**common, "message": f"national login refused: {error.message}"})
    if isinstance(error, RejectedError):
        return Result(REJECTED, problems=error.errors or None, **common)
    return Result(REJECTED, **common)
