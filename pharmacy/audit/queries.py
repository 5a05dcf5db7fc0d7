"""Reading the audit trail (newest first, filtered by entity, user and local days) and a chain's head as of a day."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from ..clock import local_day_bounds
from .models import AuditEntry, JournalEntry


def audit_query(*, entity: str | None = None, user: str | None = None, date_from: date | None = None,
                date_to: date | None = None) -> Select:
    """`user`: a user name, or a user id; `entity`: a table name (products, stores, users…) or a document kind."""
    stmt = select(AuditEntry).order_by(AuditEntry.id.desc())
    if entity:
        stmt = stmt.where(AuditEntry.entity == entity)
    if user:
        by_name = AuditEntry.username == user
        stmt = stmt.where(or_(by_name, AuditEntry.user_id == int(user)) if user.isdigit() else by_name)
    if date_from is not None:
        stmt = stmt.where(AuditEntry.at >= local_day_bounds(date_from))
    if date_to is not None:
        stmt = stmt.where(AuditEntry.at < local_day_bounds(date_to, end=True))
    return stmt


def head_of_day(session: Session, store, day: date) -> dict | None:
    """The store's chain head at the end of local `day` (its last entry written before midnight): what the day
    report prints, so that deleting the newest entries shows even when the head file is lost. None: no entry yet."""
    entry = session.scalars(select(JournalEntry).where(
        JournalEntry.store_id == store.id, JournalEntry.created_at < local_day_bounds(day, end=True))
        .order_by(JournalEntry.seq.desc()).limit(1)).first()
    if entry is None:
        return None
    return {"store_code": store.code, "seq": entry.seq, "document_number": entry.document_number, "kind": entry.kind,
            "hash": entry.entry_hash, "at": entry.created_at}
