"""After a restore the outbox is as old as the backup: messages it calls unsent may have reached the national
systems since. Every unfinished one becomes outcome-unknown, so each lane finds out before sending again
(legacy: GET the invoice / DELETE the receipt or issue; v2: look up or hold for a person; prescriptions: re-read)."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from ..outbox.models import OutboxMessage

UNFINISHED = ("pending", "sending")


def mark_unfinished_outcome_unknown(session: Session, *, now: datetime) -> int:
    """Flag every pending or in-flight message outcome-unknown; in-flight leases end now. Returns how many."""
    expired = now - timedelta(seconds=1)
    flagged = session.execute(
        update(OutboxMessage).where(OutboxMessage.status == "pending")
        .values(outcome_unknown=True, updated_at=now).execution_options(synchronize_session=False)).rowcount
    flagged += session.execute(
        update(OutboxMessage).where(OutboxMessage.status == "sending")
        .values(outcome_unknown=True, lease_until=expired, updated_at=now)
        .execution_options(synchronize_session=False)).rowcount
    session.flush()
    return flagged
