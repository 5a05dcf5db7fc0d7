"""The v2 lane's short transactions: which messages are v2's, claiming submissions and polls, recording outcomes."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, exists, not_, or_, select
from sqlalchemy.orm import Session, aliased

from pharmacy.outbox.models import OutboxMessage
from pharmacy.outbox.services import NATIONAL_DRUG_DB
from pharmacy.receipts.models import Receipt
from pharmacy.stores.models import Store
from pharmacy.stores.opening import OPENING_BALANCE, v2_boundary

from .claims import (
    Backoff, Claimed, _cancel_original, _due, lock_and_log, lock_due, log_lease_expired, release_fixed, settle,
)
from .plans import Plan
from .scopes import v2_scope
from .sender import AUTH, REJECTED, SENT, TRANSIENT, UNKNOWN, Result
from .v2_plans import POLL, SUBMIT, V2Job, plan_v2_message, poll_job, uncertain

SUBMITTED, PROCESSING = "submitted", "processing"
LEASE_EXPIRED = "the worker stopped during the submission (lease expired)"


def _opening_settled():
    """No earlier opening balance of the period (the switch's, or an opening receipt) is still unconfirmed."""
    earlier = aliased(OutboxMessage)
    opening_receipt = exists().where(Receipt.id == earlier.document_id, Receipt.kind == "opening")
    return not_(exists().where(
        earlier.store_id == OutboxMessage.store_id, earlier.target == NATIONAL_DRUG_DB,
        earlier.id < OutboxMessage.id, earlier.id >= v2_boundary(OutboxMessage.store_id),
        earlier.status.notin_(("sent", "cancelled")),
        or_(earlier.document_type == OPENING_BALANCE, and_(earlier.document_type == "receipt", opening_receipt)),
    ))


def _original_settled():
    original = aliased(OutboxMessage)
    busy = exists().where(original.id == OutboxMessage.depends_on_id,
                          original.status.in_(("sending", "awaiting_result")))
    return or_(OutboxMessage.depends_on_id.is_(None), not_(busy))


def _poll_due(now: datetime):
    return and_(OutboxMessage.status == "awaiting_result", OutboxMessage.next_attempt_at <= now,
                or_(OutboxMessage.lease_until.is_(None), OutboxMessage.lease_until < now))


def claim_v2_batch(session: Session, claimed: Claimed, *, owner: str, worker: str, now: datetime, limit: int,
                   lease_seconds: float, postgresql: bool) -> Claimed:
    """Claim due v2 submissions (after the store's opening balance) and due polls, adding jobs to `claimed`."""
    messages = lock_due(session, v2_scope(), or_(and_(_due(now), _opening_settled(), _original_settled()),
                                                 _poll_due(now)), limit=limit, postgresql=postgresql)
    claimed.count += len(messages)
    lease_until = now + timedelta(seconds=lease_seconds)
    for message in messages:
        store = session.get(Store, message.store_id)
        if message.status == "awaiting_result":
            message.lease_owner, message.lease_until = owner, lease_until
            claimed.jobs.append(poll_job(message, store, owner))
            continue
        if message.status == "sending":  # a worker died mid-submission: v2 cannot be asked, a person decides
            log_lease_expired(session, message, now, worker, LEASE_EXPIRED)
            message.outcome_unknown = True
            _settle(message, Plan(decision=uncertain(message.document_number, LEASE_EXPIRED)), now, claimed)
            continue
        boundary = session.execute(select(v2_boundary(message.store_id))).scalar_one()
        plan = plan_v2_message(session, message, boundary=boundary, owner=owner)
        if plan.cancel_original and message.depends_on_id is not None:
            _cancel_original(session, message.depends_on_id, now)
        if plan.job is None:
            _settle(message, plan, now, claimed)
            continue
        message.status, message.lease_owner, message.lease_until, message.updated_at = (
            "sending", owner, lease_until, now)
        claimed.jobs.append(plan.job)
    session.flush()
    return claimed


def _settle(message: OutboxMessage, plan: Plan, now: datetime, claimed: Claimed) -> None:
    settle(message, plan, now)
    claimed.settled[plan.decision.status] += 1


def poll_delay(attempts: int, *, first: float, cap: float, backoff: Backoff) -> float:
    """A few seconds before the first poll, then doubling (jittered), capped."""
    return min(cap, first * 2 ** min(max(attempts - 1, 0), 16)) * (0.75 + backoff.rng.random() / 4)


def record_v2_result(session: Session, job: V2Job, result: Result, *, started_at: datetime, now: datetime,
                     worker: str, backoff: Backoff, postgresql: bool, first_poll: float, poll_cap: float) -> str:
    """Log the attempt and move the message on; a message taken over by another worker is left to it."""
    message = lock_and_log(session, job.message_id, result, started_at=started_at, now=now, worker=worker,
                           postgresql=postgresql, remote_id=result.remote_id or job.transaction_id)
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
        wait = first_poll if outcome == SUBMITTED else poll_delay(message.attempts, first=first_poll, cap=poll_cap,
                                                                   backoff=backoff)
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
        message.next_attempt_at = now + timedelta(seconds=backoff.delay(message.attempts, result.retry_after))
    session.flush()
    return outcome


def recheck_v2_held(session: Session, now: datetime, limit: int = 500) -> int:
    """Release held v2 messages whose data was fixed (never an uncertain one: that is a person's call)."""
    def planner(session_: Session, message: OutboxMessage):
        boundary = session_.execute(select(v2_boundary(message.store_id))).scalar_one()
        return plan_v2_message(session_, message, boundary=boundary)

    return release_fixed(session, now, and_(not_(OutboxMessage.outcome_unknown), v2_scope()), planner, limit)
