"""The controlled-drug books, read from the ledger only: the XNT book per product and lot (TT 20/2017 Annex VIII),
the customer-detail book (Annex XXI) and the 6-monthly and annual reports (their sums are the ledger's)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ..catalog.models import Product
from ..clock import local_day_bounds
from ..errors import Invalid, msg
from .models import ControlledEntry


@dataclass
class BookLine:
    at: datetime
    document_number: str
    counterparty: str
    received: int
    issued: int
    balance: int


@dataclass
class LotBook:
    lot: str
    expiry: date
    opening: int = 0
    received: int = 0
    issued: int = 0
    lines: list[BookLine] = field(default_factory=list)

    @property
    def closing(self) -> int:
        return self.opening + self.received - self.issued


@dataclass
class ProductBook:
    product: Product
    lots: list[LotBook]

    def total(self, name: str) -> int:
        return sum(getattr(lot, name) for lot in self.lots)


def period_of(year: int, half: int | None) -> tuple[date, date]:
    """A report's days: half 1 January–June, half 2 July–December, None the whole year."""
    if half not in (None, 1, 2):
        raise Invalid(msg("Half must be 1 or 2."), field="half")
    start = date(year, 7, 1) if half == 2 else date(year, 1, 1)
    end = date(year, 6, 30) if half == 1 else date(year, 12, 31)
    return start, end


def xnt_book(session: Session, *, store_id: int, date_from: date, date_to: date,
             product_ids: list[int] | None = None) -> list[ProductBook]:
    """Per product and lot: the balance before `date_from`, each entry of the period with the running balance, and
    the period's totals. Products with neither a balance nor an entry are left out."""
    start, end = local_day_bounds(date_from), local_day_bounds(date_to, end=True)
    where = [ControlledEntry.store_id == store_id]
    if product_ids is not None:
        where.append(ControlledEntry.product_id.in_(product_ids))
    opening_rows = session.execute(
        select(ControlledEntry.product_id, ControlledEntry.lot, ControlledEntry.expiry,
               func.sum(ControlledEntry.quantity))
        .where(*where, (ControlledEntry.created_at < start) | (ControlledEntry.kind == "opening"),
               ControlledEntry.created_at < end)
        .group_by(ControlledEntry.product_id, ControlledEntry.lot, ControlledEntry.expiry)).all()
    entries = session.scalars(select(ControlledEntry).where(*where, ControlledEntry.created_at >= start,
                                                            ControlledEntry.created_at < end,
                                                            ControlledEntry.kind != "opening")
                              .order_by(ControlledEntry.created_at, ControlledEntry.id)).all()
    lots: dict[tuple, LotBook] = {}
    for product_id, lot, expiry, total in opening_rows:
        lots[(product_id, lot, expiry)] = LotBook(lot, expiry, opening=int(total or 0))
    products: dict[int, Product] = {}
    for entry in entries:
        book = lots.setdefault((entry.product_id, entry.lot, entry.expiry), LotBook(entry.lot, entry.expiry))
        received, issued = max(entry.quantity, 0), max(-entry.quantity, 0)
        book.received += received
        book.issued += issued
        book.lines.append(BookLine(entry.created_at, entry.document_number, entry.counterparty, received, issued,
                                   book.closing))
        products[entry.product_id] = entry.product
    missing = {product_id for product_id, _lot, _expiry in lots} - set(products)
    if missing:
        products.update({p.id: p for p in session.scalars(select(Product).where(Product.id.in_(missing)))})
    books = []
    for product in sorted(products.values(), key=lambda p: (p.name, p.id)):
        rows = [book for (product_id, _l, _e), book in sorted(lots.items(), key=lambda item: (item[0][2], item[0][1]))
                if product_id == product.id and (book.opening or book.lines)]
        if rows:
            books.append(ProductBook(product, rows))
    return books


def customer_book(*, store_id: int, date_from: date | None, date_to: date | None) -> Select:
    """The sales of controlled drugs with their buyers, oldest first."""
    stmt = (select(ControlledEntry).where(ControlledEntry.store_id == store_id, ControlledEntry.kind == "sale")
            .order_by(ControlledEntry.created_at, ControlledEntry.id))
    if date_from is not None:
        stmt = stmt.where(ControlledEntry.created_at >= local_day_bounds(date_from))
    if date_to is not None:
        stmt = stmt.where(ControlledEntry.created_at < local_day_bounds(date_to, end=True))
    return stmt


def ledger_sum(session: Session, *, store_id: int, product_id: int, before: datetime) -> int:
    return int(session.scalar(select(func.coalesce(func.sum(ControlledEntry.quantity), 0)).where(
        ControlledEntry.store_id == store_id, ControlledEntry.product_id == product_id,
        ControlledEntry.created_at < before)) or 0)
