"""The CSDL Dược v2 lane: per-thread clients, one call per job (a submission or a status poll), and its outcome
recorded. v2 offers no look-up by our number, so a submission whose answer was lost waits for a person."""
from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import and_, not_

from connectors.csdl_duoc.client import CsdlDuocClient
from connectors.csdl_duoc.errors import SYSTEM, AuthError, ConnectorError, NotFoundError, RejectedError
from pharmacy.outbox.models import OutboxMessage

from ...claims import Backoff, Claimed, lock_and_log, release_fixed
from ...lane import LaneContext
from ...results import AUTH, LOGIN_REFUSED, REJECTED, SENT, TRANSIENT, UNKNOWN, Result, crashed, failure
from ...scopes import v2_scope
from .plans import POLL, SETTING, SUBMIT, V2Job, claim_v2_batch, plan_v2_message, uncertain

SUBMITTED, PROCESSING = "submitted", "processing"
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
    """The one mapping, with v2's own rows: polls are safe to repeat (a transaction v2 does not know is a person's
    question), a token refused right after a fresh login is the server's trouble, not ours."""
    submitting = job.action == SUBMIT
    if isinstance(error, NotFoundError) and not submitting:
        return Result(UNKNOWN, error.status, error.detail, outcome_unknown=True,
                      message=f"the national system does not know transaction {job.transaction_id}")
    token_dropped = isinstance(error, AuthError) and error.status == 401 and not is_login_refusal(error)
    if not submitting and isinstance(error, RejectedError):
        token_dropped = True  # a poll changes nothing: whatever it was refused for, ask again later
    problems = ([{"product": None, "field": "national", "reason": error.message}]
                if isinstance(error, RejectedError) and submitting else None)
    return failure(error, transient=token_dropped, otherwise=REJECTED if submitting else TRANSIENT,
                   problems=problems)


def is_login_refusal(error: AuthError) -> bool:
    """The credentials themselves were refused (the login call failed), as opposed to a token being dropped."""
    return f"{SYSTEM}: login " in error.message or error.status is None


def poll_delay(attempts: int, *, first: float, cap: float, backoff: Backoff) -> float:
    """A few seconds before the first poll, then doubling (jittered), capped."""
    return min(cap, first * 2 ** min(max(attempts - 1, 0), 16)) * (0.75 + backoff.rng.random() / 4)


class V2Lane:
    """Stores on the CSDL Dược v2 API, from their opening balance on."""

    name = "v2"

    def __init__(self, context: LaneContext, *, first_poll: float = FIRST_POLL_SECONDS,
                 poll_cap: float = POLL_CAP_SECONDS):
        self.context = context
        self.base_url = context.settings.get(SETTING)
        self.first_poll = first_poll
        self.poll_cap = poll_cap
        self._local = threading.local()   # CsdlDuocClient is for one thread at a time
        self._refused: dict[tuple, str] = {}

    def missing_settings(self) -> list[str]:
        return [] if self.base_url else [SETTING]

    def recheck(self, session, now) -> int:
        """Forget refused logins; release held messages whose data was fixed (never an uncertain one: that is a
        person's call)."""
        self._refused = {}
        configured = bool(self.base_url)
        return release_fixed(session, now, and_(not_(OutboxMessage.outcome_unknown), v2_scope()),
                             lambda s, message: plan_v2_message(s, message, configured=configured))

    def claim(self, session, *, owner, now, limit) -> Claimed:
        context = self.context
        return claim_v2_batch(session, owner=owner, worker=context.worker, now=now, limit=limit,
                              lease_seconds=context.lease_seconds, postgresql=context.postgresql,
                              configured=bool(self.base_url))

    def send(self, job: V2Job) -> Result:
        refused = self._refused.get(job.account)
        if refused is not None:
            return v2_failure(AuthError(refused), job)
        result = execute_v2(self._client(job), job)
        if result.outcome == AUTH:  # one login per account per pass, never a loop of logins
            self._refused[job.account] = result.message.removeprefix(LOGIN_REFUSED)
        return result

    def crashed(self, job: V2Job, error: Exception) -> Result:
        return crashed(error, outcome_unknown=job.action == SUBMIT)

    def record(self, session, job: V2Job, result: Result, *, started_at, now) -> str:
        """Log the attempt and move the message on; a message taken over by another worker is left to it."""
        context = self.context
        message = lock_and_log(session, job.message_id, result, started_at=started_at, now=now,
                               worker=context.worker, postgresql=context.postgresql,
                               remote_id=result.remote_id or job.transaction_id)
        expected = "sending" if job.action == SUBMIT else "awaiting_result"
        if message.status != expected or message.lease_owner != job.lease_owner:
            return "lease_lost"
        message.attempts += 1
        message.lease_owner = message.lease_until = None
        message.updated_at = now
        outcome = result.outcome
        if outcome in (SUBMITTED, PROCESSING) or (job.action == POLL and outcome in (TRANSIENT, AUTH)):
            # Once submitted, only polling can tell: auth and network trouble delay the poll, never resubmit.
            message.status, message.outcome_unknown = "awaiting_result", False
            message.remote_id = result.remote_id or message.remote_id
            message.last_error = None if outcome in (SUBMITTED, PROCESSING) else result.message
            wait = self.first_poll if outcome == SUBMITTED else poll_delay(
                message.attempts, first=self.first_poll, cap=self.poll_cap, backoff=context.backoff)
            message.next_attempt_at = now + timedelta(seconds=max(wait, result.retry_after or 0.0))
        elif outcome == SENT:
            message.status, message.sent_at, message.last_error, message.problems = "sent", now, None, None
            message.outcome_unknown = False
        elif outcome == UNKNOWN:
            decision = uncertain(message.document_number, result.message)
            message.status, message.last_error, message.problems = "held", decision.message, decision.problems
            message.outcome_unknown = True
        elif outcome in (REJECTED, AUTH):
            message.status, message.last_error, message.problems = "rejected", result.message, result.problems
            message.outcome_unknown = False
        else:  # transient before anything was stored
            message.status, message.last_error = "pending", result.message
            message.next_attempt_at = now + timedelta(
                seconds=context.backoff.delay(message.attempts, result.retry_after))
        session.flush()
        return outcome

    def close(self) -> None:
        self._local = threading.local()

    def _client(self, job: V2Job) -> CsdlDuocClient:
        clients = getattr(self._local, "clients", None)
        if clients is None:
            clients = self._local.clients = {}
        key = (job.store_id, *job.account)
        client = clients.get(key)
        if client is None:
            password = self.context.vault.decrypt(job.account[1])
            client = CsdlDuocClient(self.base_url, job.account[0], password, session=self.context.http,
                                    timeout=self.context.timeout)
            clients[key] = client
        return client
