"""The outbox's short transactions shared by every lane: lock due messages, settle local decisions, log attempts,
record results, release held messages whose data was fixed."""
from __future__ import annotations

import logging
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from pharmacy.config import DEFAULTS
from pharmacy.outbox.models import OutboxAttempt, OutboxMessage

from .notices import VOIDED_BEFORE_SENT
from .plans import Plan
from .results import AUTH, CANCELLED, REJECTED, SENT, Result

log = logging.getLogger(__name__)

LEASE_EXPIRED = "the worker stopped before recording the outcome (lease expired): outcome unknown"
EXCERPT = 500


@dataclass
class Backoff:
    """Capped exponential backoff with jitter; `rng` is injectable so tests are deterministic."""

    base: float = DEFAULTS["SYNC_BACKOFF_BASE_SECONDS"]  # the settings' one default (pharmacy/config.py)
    cap: float = DEFAULTS["SYNC_BACKOFF_MAX_SECONDS"]
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, attempts: int, retry_after: float | None = None) -> float:
        ceiling = min(self.cap, self.base * 2 ** max(attempts - 1, 0))
        jittered = ceiling / 2 + self.rng.random() * ceiling / 2
        return min(max(jittered, retry_after or 0.0), max(self.cap, retry_after or 0.0))


@dataclass
class Claimed:
    """What one lane's claim produced: jobs to send, local outcomes settled, and how many rows it took."""

    jobs: list = field(default_factory=list)
    settled: Counter = field(default_factory=Counter)
    count: int = 0


def due(now: datetime):
    """Pending and due, or claimed by a worker whose lease ran out."""
    return or_(
        and_(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now),
        and_(OutboxMessage.status == "sending", OutboxMessage.lease_until < now),
    )


def lock_due(session: Session, *conditions, limit: int, postgresql: bool) -> list[OutboxMessage]:
    """Messages matching `conditions`, oldest due first, fresh from the database; PostgreSQL skips rows another
    worker holds (SQLite: the caller's BEGIN IMMEDIATE already makes it the only writer)."""
    stmt = (select(OutboxMessage).where(*conditions)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit)
            .execution_options(populate_existing=True))
    if postgresql:
        stmt = stmt.with_for_update(skip_locked=True, of=OutboxMessage)
    return list(session.execute(stmt).scalars())


def log_lease_expired(session: Session, message: OutboxMessage, now: datetime, worker: str,
                      text: str = LEASE_EXPIRED) -> None:
    """The attempt of a worker that died mid-send: its outcome is unknown."""
    session.add(OutboxAttempt(message_id=message.id, started_at=now, finished_at=now, outcome="unknown",
                              response_excerpt=text, worker=worker))


def lock_and_log(session: Session, message_id: int, result: Result, *, started_at: datetime, now: datetime,
                 worker: str, postgresql: bool, remote_id: str | None = None) -> OutboxMessage:
    """The message a send was for, locked and re-read, with the attempt logged (time, HTTP status, short body)."""
    stmt = select(OutboxMessage).where(OutboxMessage.id == message_id)
    if postgresql:
        stmt = stmt.with_for_update()
    message = session.execute(stmt.execution_options(populate_existing=True)).scalars().one()
    excerpt = (result.message + (" | " + result.body if result.body else ""))[:EXCERPT]
    session.add(OutboxAttempt(message_id=message.id, started_at=started_at, finished_at=now,
                              http_status=result.http_status, outcome=result.outcome, response_excerpt=excerpt,
                              remote_id=remote_id or result.remote_id, worker=worker))
    log.info("send store=%s %s %s %s: %s (HTTP %s)", message.store_id, message.target, message.kind,
             message.document_number, result.outcome, result.http_status or "-")
    return message


def cancel_original(session: Session, message_id: int, now: datetime) -> None:
    """A void settled before its original was sent: the original goes nowhere either."""
    original = session.get(OutboxMessage, message_id)
    original.status, original.lease_owner, original.lease_until = "cancelled", None, None
    original.last_error = VOIDED_BEFORE_SENT
    original.updated_at = now


def settle(message: OutboxMessage, plan: Plan, now: datetime, claimed: Claimed | None = None) -> None:
    """Apply a local decision (held, cancelled, rejected, or back to pending after a short wait)."""
    decision = plan.decision
    message.status, message.last_error = decision.status, decision.message
    message.problems = decision.problems
    message.lease_owner = message.lease_until = None
    message.updated_at = now
    if decision.status == "pending":
        message.next_attempt_at = now + timedelta(seconds=decision.delay_seconds)
    if claimed is not None:
        claimed.settled[decision.status] += 1


def record_result(session: Session, job, result: Result, *, started_at: datetime, now: datetime, worker: str,
                  backoff: Backoff, postgresql: bool) -> str:
    """Log the attempt and move the message on; a message whose lease was taken over keeps its new owner's state."""
    message = lock_and_log(session, job.message_id, result, started_at=started_at, now=now, worker=worker,
                           postgresql=postgresql)
    if message.status != "sending" or message.lease_owner != job.lease_owner:
        return "lease_lost"
    message.attempts += 1
    message.lease_owner = message.lease_until = None
    message.updated_at = now
    message.outcome_unknown = result.outcome_unknown
    if result.outcome == SENT:
        message.status, message.sent_at, message.last_error, message.problems = "sent", now, None, None
        message.remote_id = result.remote_id or message.remote_id
    elif result.outcome == CANCELLED:
        message.status, message.last_error = "cancelled", result.message
    elif result.outcome in (REJECTED, AUTH):
        message.status, message.last_error, message.problems = "rejected", result.message, result.problems
    else:
        delay = backoff.delay(message.attempts, result.retry_after)
        message.status, message.last_error = "pending", result.message
        message.next_attempt_at = now + timedelta(seconds=delay)
    session.flush()
    return result.outcome


def release_fixed(session: Session, now: datetime, scope, planner, limit: int = 500) -> int:
    """Release held messages (of one lane's `scope`) whose data has been fixed, so they are sent next.

    `planner(session, message)` decides as at send time: anything but "held" again means the fix is in; a message
    still held keeps its (possibly changed) list of problems for the dashboard.
    """
    held = session.execute(
        select(OutboxMessage).where(OutboxMessage.status == "held", scope).order_by(OutboxMessage.id).limit(limit)
    ).scalars().all()
    released = 0
    for message in held:
        plan = planner(session, message)
        if plan.job is not None or plan.decision.status != "held":
            message.status, message.next_attempt_at, message.updated_at = "pending", now, now
            released += 1
        elif plan.decision.problems != message.problems:
            message.problems, message.last_error = plan.decision.problems, plan.decision.message
    session.flush()
    return released
