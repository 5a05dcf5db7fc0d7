"""After a restore the outbox is as old as the backup: messages it calls unsent may have reached the national
systems since. Every unfinished one becomes an in-flight send whose worker died (outcome unknown, lease ended), so
each lane's own recovery runs before anything is sent again: legacy GETs the invoice / DELETEs the receipt or issue,
v2 (which offers no look-up) holds the message for a person, the e-prescription report is re-read first."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from ..outbox.models import OutboxMessage

UNFINISHED = ("pending", "sending")
RESTORED = "restore"  # the lease owner no worker has: nobody's result can land on these messages


def mark_unfinished_outcome_unknown(session: Session, *, now: datetime) -> int:
    """Turn every pending or in-flight message into an interrupted send with an unknown outcome. Returns how many."""
    flagged = session.execute(
        update(OutboxMessage).where(OutboxMessage.status.in_(UNFINISHED))
        .values(status="sending", outcome_unknown=True, lease_owner=RESTORED,
                lease_until=now - timedelta(seconds=1), updated_at=now)
        .execution_options(synchronize_session=False)).rowcount
    session.flush()
    return flagged
