"""Reading the audit trail: newest first, filtered by entity, user and local days."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Select, or_, select

from ..clock import local_day_bounds
from .models import AuditEntry


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
