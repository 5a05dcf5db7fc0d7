"""Reads of sales for lists and filters (the back office's sales page)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..clock import local_day_bounds
from ..stores.models import User
from .models import Sale


def list_sales(
    session: Session, *, store_ids: list[int], date_from: date | None = None, date_to: date | None = None,
    seller_id: int | None = None, limit: int = 200,
) -> list[Sale]:
    """Newest first: the stores' sales between two local dates (both included), optionally one seller's."""
    stmt = select(Sale).where(Sale.store_id.in_(store_ids))
    if date_from:
        stmt = stmt.where(Sale.created_at >= local_day_bounds(date_from))
    if date_to:
        stmt = stmt.where(Sale.created_at < local_day_bounds(date_to, end=True))
    if seller_id:
        stmt = stmt.where(Sale.user_id == seller_id)
    return list(session.execute(stmt.order_by(Sale.id.desc()).limit(limit)).scalars())


def sellers(session: Session, store_ids: list[int]) -> list[User]:
    """Everyone who has sold in these stores, by username."""
    stmt = select(User).where(User.id.in_(select(Sale.user_id).where(Sale.store_id.in_(store_ids))))
    return list(session.execute(stmt.order_by(User.username)).scalars())
