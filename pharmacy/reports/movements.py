"""XNT by lot (xuất – nhập – tồn): opening, each kind of movement in a period, closing — off the ledger.

Every figure is a sum of `movements` rows, so the report reconciles exactly with the ledger and, for a period
ending now, with the quantities on hand:
opening + received + returned + voided + transferred_in + adjusted − sold − issued − transferred_out = closing.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from ..catalog.categories import category_product_ids
from ..catalog.models import Product, ProductUnit
from ..stock.models import Movement, StockLot
from .period import Period

COLUMNS = ("opening", "received", "sold", "returned", "voided", "issued", "transferred_in", "transferred_out",
           "adjusted", "closing")
# column -> (ledger kind, sign of the quantity wanted, factor that makes the column positive); adjusted is signed
_KIND_COLUMNS = {
    "received": ("receipt", None, 1),
    "sold": ("sale", None, -1),
    "returned": ("return", None, 1),
    "voided": ("void", None, 1),
    "issued": ("issue", None, -1),
    "transferred_in": ("transfer", 1, 1),
    "transferred_out": ("transfer", -1, -1),
    "adjusted": ("adjustment", None, 1),
}


@dataclass(frozen=True)
class XntRow:
    stock_lot_id: int
    product_id: int
    product_name: str
    base_unit: str
    lot: str
    expiry: object
    figures: dict

    def as_dict(self) -> dict:
        return {"product_id": self.product_id, "product_name": self.product_name, "base_unit": self.base_unit,
                "lot": self.lot, "expiry": self.expiry, **self.figures}


def _column(name: str, in_period):
    kind, sign, factor = _KIND_COLUMNS[name]
    condition = and_(in_period, Movement.kind == kind)
    if sign == 1:
        condition = and_(condition, Movement.quantity > 0)
    elif sign == -1:
        condition = and_(condition, Movement.quantity < 0)
    return func.sum(case((condition, Movement.quantity * factor), else_=0)).label(name)


def stock_movements(session: Session, *, period: Period, store_id: int,
                    product_id: int | None = None, category_id: int | None = None) -> list[XntRow]:
    """One row per lot of the store with stock at the start or any movement in the period (of one product, or
    of one category's products)."""
    # a retention purge's carry-forward (kind `opening`, dated just before the purge day) is always an opening
    opening = Movement.kind == "opening"
    in_period = and_(Movement.created_at >= period.start, ~opening)
    before = (Movement.created_at < period.start) | opening
    sums = (
        select(Movement.stock_lot_id,
               func.sum(case((before, Movement.quantity), else_=0)).label("opening"),
               *[_column(name, in_period) for name in _KIND_COLUMNS],
               func.sum(Movement.quantity).label("closing"),
               func.sum(case((in_period, 1), else_=0)).label("moves"))
        .where(Movement.store_id == store_id, Movement.created_at < period.end)
        .group_by(Movement.stock_lot_id)
    )
    if product_id is not None:
        sums = sums.where(Movement.product_id == product_id)
    if category_id is not None:
        sums = sums.where(Movement.product_id.in_(category_product_ids(category_id)))
    sums = sums.subquery()
    stmt = (select(StockLot.id, StockLot.product_id, StockLot.lot, StockLot.expiry, Product.name,
                   *[sums.c[column] for column in COLUMNS])
            .join(sums, sums.c.stock_lot_id == StockLot.id)
            .join(Product, Product.id == StockLot.product_id)
            .where((sums.c.opening != 0) | (sums.c.moves > 0))
            .order_by(Product.name, StockLot.product_id, StockLot.expiry, StockLot.lot))
    found = session.execute(stmt).all()
    units = base_units(session, {row.product_id for row in found})
    # A lot's sellable and quarantine rows are one lot of the book: the quarantine/release pairs between them cancel.
    merged: dict[tuple, XntRow] = {}
    for row in found:
        figures = {column: int(getattr(row, column) or 0) for column in COLUMNS}
        key = (row.product_id, row.lot, row.expiry)
        if key in merged:
            kept = merged[key]
            figures = {column: kept.figures[column] + figures[column] for column in COLUMNS}
            merged[key] = XntRow(min(kept.stock_lot_id, row.id), row.product_id, row.name, kept.base_unit, row.lot,
                                 row.expiry, figures)
        else:
            merged[key] = XntRow(row.id, row.product_id, row.name, units.get(row.product_id, ""), row.lot,
                                 row.expiry, figures)
    return list(merged.values())


def base_units(session: Session, product_ids: set[int]) -> dict[int, str]:
    """The base unit's name per product, in one query (no product objects to load)."""
    if not product_ids:
        return {}
    stmt = select(ProductUnit.product_id, ProductUnit.name).where(
        ProductUnit.product_id.in_(product_ids), ProductUnit.is_base.is_(True))
    return dict(session.execute(stmt).all())


def closing_of(figures: dict) -> int:
    """The XNT identity; the report's closing is the ledger's own sum, and tests check the two agree."""
    return (figures["opening"] + figures["received"] + figures["returned"] + figures["voided"]
            + figures["transferred_in"] + figures["adjusted"]
            - figures["sold"] - figures["issued"] - figures["transferred_out"])


def totals(rows: list[XntRow]) -> dict:
    return {column: sum(row.figures[column] for row in rows) for column in COLUMNS}
