"""Writing outbox rows in the document's own transaction (flush only; the edge commits)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import OutboxMessage

NATIONAL_DRUG_DB = "national_drug_db"


def enqueue(
    session: Session,
    *,
    target: str,
    kind: str,
    store_id: int,
    document_type: str,
    document_id: int,
    document_number: str,
    now: datetime,
    depends_on: OutboxMessage | None = None,
) -> OutboxMessage:
    """Add one message; its idempotency key is made here, once, and reused by every retry."""
    message = OutboxMessage(
        target=target,
        kind=kind,
        store_id=store_id,
        document_type=document_type,
        document_id=document_id,
        document_number=document_number,
        idempotency_key=f"{target}:{kind}:{document_number}",
        depends_on=depends_on,
        status="pending",
        next_attempt_at=now,
        created_at=now,
        updated_at=now,
    )
    session.add(message)
    session.flush()
    return message


def message_for(session: Session, *, target: str, document_type: str, document_id: int) -> OutboxMessage | None:
    stmt = select(OutboxMessage).where(
        OutboxMessage.target == target,
        OutboxMessage.document_type == document_type,
        OutboxMessage.document_id == document_id,
    )
    return session.execute(stmt).scalars().first()
