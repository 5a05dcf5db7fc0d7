"""The runner's CSDL Dược v2 lane: per-thread clients, one call per job, and its outcome recorded."""
from __future__ import annotations

import logging
import threading

from connectors.csdl_duoc.client import CsdlDuocClient
from connectors.csdl_duoc.errors import (
    SYSTEM,
    AuthError,
    ConnectorError,
    NotFoundError,
    RejectedError,
    TransientError,
    UnknownOutcomeError,
)

from .claims import Claimed
from .sender import AUTH, REJECTED, SENT, TRANSIENT, UNKNOWN, Result
from .v2_claims import PROCESSING, SUBMITTED, claim_v2_batch, record_v2_result, recheck_v2_held
from .v2_plans import SUBMIT, V2Job

log = logging.getLogger(__name__)
FIRST_POLL_SECONDS = 5.0
POLL_CAP_SECONDS = 300.0


def execute_v2(client: CsdlDuocClient, job: V2Job) -> Result:
    """Make the one call of a job. A submission whose answer was lost is UNKNOWN: it is never repeated blindly."""
    try:
        if job.action == SUBMIT:
            transaction_id, status = client.submit(job.kind, job.payload)
            return Result(SUBMITTED, 202, remote_id=transaction_id, message=f"submitted as {transaction_id} ({status})")
        answer = client.status(job.kind, job.transaction_id)
        if answer.status == "completed":
            return Result(SENT, 200, remote_id=job.transaction_id, message="completed")
        if answer.terminal:
            text = "; ".join(answer.messages) or f"no message given ({answer.status})"
            return Result(REJECTED, 200, message=f"CSDL Dược v2 {answer.status}: {text}",
                          problems=[{"product": None, "field": "national", "reason": m} for m in answer.messages])
        return Result(PROCESSING, 200, message=answer.status)
    except ConnectorError as error:
        return v2_failure(error, job)


def v2_failure(error: ConnectorError, job: V2Job) -> Result:
    """Map a typed error: polls are safe to repeat, a submission's lost answer waits for a person."""
    common = {"http_status": error.status, "body": error.detail, "message": error.message}
    submitting = job.action == SUBMIT
    if isinstance(error, UnknownOutcomeError):
        return Result(UNKNOWN, outcome_unknown=True, **common)
    if isinstance(error, NotFoundError) and not submitting:
        return Result(UNKNOWN, outcome_unknown=True,
                      **{**common, "message": f"the national system does not know transaction {job.transaction_id}"})
    if isinstance(error, TransientError) or (isinstance(error, AuthError) and error.status == 401
                                             and not is_login_refusal(error)):
        # A token refused twice right after a fresh login is the server's trouble (nothing was stored), not ours.
        return Result(TRANSIENT, retry_after=getattr(error, "retry_after", None), **common)
    if isinstance(error, AuthError):
        return Result(AUTH, **{**common, "message": f"national login refused: {error.message}"})
    if isinstance(error, RejectedError) and submitting:
        return Result(REJECTED, problems=[{"product": None, "field": "national", "reason": error.message}], **common)
    return Result(TRANSIENT if not submitting else REJECTED, **common)


def is_login_refusal(error: AuthError) -> bool:
    """The credentials themselves were refused (the login call failed), as opposed to a token being dropped."""
    return f"{SYSTEM}: login " in error.message or error.status is None


class V2Lane:
    """Claims and runs v2 jobs for a SyncRunner (which owns the pool, the engine, the clock and the backoff)."""

    def __init__(self, runner, base_url: str | None, *, first_poll: float = FIRST_POLL_SECONDS,
                 poll_cap: float = POLL_CAP_SECONDS):
        self.runner = runner
        self.base_url = base_url
        self.first_poll = first_poll
        self.poll_cap = poll_cap
        self._local = threading.local()   # CsdlDuocClient is for one thread at a time
        self._refused: dict[tuple, str] = {}

    def claim(self, session, claimed: Claimed, *, owner: str, now, limit: int) -> None:
        if self.base_url and limit > 0:
            claim_v2_batch(session, claimed, owner=owner, worker=self.runner.worker, now=now, limit=limit,
                           lease_seconds=self.runner.lease_seconds, postgresql=self.runner.postgresql)

    def recheck(self, session, now) -> int:
        """At the start of a pass: forget refused logins, release held messages whose data was fixed."""
        self._refused = {}
        return recheck_v2_held(session, now) if self.base_url else 0

    def process(self, job: V2Job) -> str:
        """Run one job (no transaction open), then record it in a new short transaction."""
        runner = self.runner
        started_at = runner.clock()
        try:
            result = self._send(job)
        except Exception as exc:  # noqa: BLE001 - a bug must not kill the pool
            log.exception("sync v2: job %s failed unexpectedly", job.message_id)
            result = Result(UNKNOWN if job.action == SUBMIT else TRANSIENT,
                            message=f"internal error: {type(exc).__name__}", outcome_unknown=job.action == SUBMIT)
        with runner._session() as session, session.begin():
            return record_v2_result(session, job, result, started_at=started_at, now=runner.clock(),
                                    worker=runner.worker, backoff=runner.backoff, postgresql=runner.postgresql,
                                    first_poll=self.first_poll, poll_cap=self.poll_cap)

    def _send(self, job: V2Job) -> Result:
        refused = self._refused.get(job.account)
        if refused is not None:
            return v2_failure(AuthError(refused), job)
        result = execute_v2(self._client(job), job)
        if result.outcome == AUTH:  # one login per account per pass, never a loop of logins
            self._refused[job.account] = result.message.removeprefix("national login refused: ")
        return result

    def _client(self, job: V2Job) -> CsdlDuocClient:
        clients = getattr(self._local, "clients", None)
        if clients is None:
            clients = self._local.clients = {}
        key = (job.store_id, *job.account)
        client = clients.get(key)
        if client is None:
            password = self.runner.vault.decrypt(job.account[1])
            client = CsdlDuocClient(self.base_url, job.account[0], password, session=self.runner._http,
                                    timeout=self.runner.timeout)
            clients[key] = client
        return client
