"""The prescription sales book (Sổ bán thuốc theo đơn): every line sold against a prescription, per store and period."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..sales.models import Sale
from .models import Prescription


@dataclass(frozen=True)
class BookEntry:
    """One sale against a prescription, with its lines (each line's `dispense` says which prescribed line)."""

    sale: Sale
    prescription: Prescription


def book_entries(session: Session, *, store_id: int, start: datetime, end: datetime,
                 limit: int = 2000) -> list[BookEntry]:
    """Sales with a prescription in [start, end), oldest first, voided ones included (the book shows them)."""
    stmt = (select(Sale).where(Sale.store_id == store_id, Sale.prescription_id.is_not(None),
                               Sale.created_at >= start, Sale.created_at < end)
            .options(selectinload(Sale.lines)).order_by(Sale.created_at, Sale.id).limit(limit))
    return [BookEntry(sale, sale.prescription) for sale in session.execute(stmt).scalars()]


def sales_of(session: Session, prescription: Prescription) -> list[Sale]:
    return list(session.execute(select(Sale).where(Sale.prescription_id == prescription.id)
                                .order_by(Sale.id)).scalars())
