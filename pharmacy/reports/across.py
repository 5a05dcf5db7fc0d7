"""Stock of one product across stores: every lot per store with its expiry, filtered as the owner asks, and the
quantity spelt out in the product's own units (2 Hộp + 3 Vỉ + 5 Viên)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..catalog.models import Product
from ..stock.fefo import is_expired
from ..stock.models import StockLot, StockSetting
from ..stores.models import Store

SHOW = ("all", "expired", "expiring", "below_minimum", "zero")


def in_units(quantity: int, units: list[tuple[str, int]]) -> str:
    """Base units as the largest packs first: 235 with Hộp=100, Vỉ=10, Viên=1 → "2 Hộp + 3 Vỉ + 5 Viên"."""
    if quantity <= 0:
        base = min(units, key=lambda unit: unit[1])[0] if units else ""
        return f"{quantity} {base}".strip()
    parts, left = [], quantity
    for name, factor in sorted(units, key=lambda unit: -unit[1]):
        count, left = divmod(left, factor)
        if count:
            parts.append(f"{count} {name}")
    return " + ".join(parts)


@dataclass(frozen=True)
class StoreStock:
    store: Store
    total: int
    minimum: int
    lots: list  # of StockLot

    @property
    def below_minimum(self) -> bool:
        return self.minimum > 0 and self.total < self.minimum


def product_across_stores(session: Session, *, product: Product, stores: list[Store], today: date, show: str = "all",
                          days: int = 90) -> list[StoreStock]:
    """Per store (in the order given): the product's lots on hand, its total and minimum, after the filter:
    expired lots, lots expiring within `days` (not yet expired), stores below their minimum, or stores with none."""
    ids = [store.id for store in stores]
    lots = list(session.execute(
        select(StockLot).where(StockLot.product_id == product.id, StockLot.store_id.in_(ids), StockLot.quantity > 0)
        .order_by(StockLot.store_id, StockLot.expiry, StockLot.lot)).scalars())
    minimums = dict(session.execute(
        select(StockSetting.store_id, func.max(StockSetting.min_quantity))
        .where(StockSetting.product_id == product.id, StockSetting.store_id.in_(ids))
        .group_by(StockSetting.store_id)).all())
    result = []
    for store in stores:
        own = [lot for lot in lots if lot.store_id == store.id]
        entry = StoreStock(store, sum(lot.quantity for lot in own), minimums.get(store.id, 0), own)
        if show == "expired":
            entry = StoreStock(store, entry.total, entry.minimum, [x for x in own if is_expired(x.expiry, today)])
        elif show == "expiring":
            horizon = today + timedelta(days=days)
            entry = StoreStock(store, entry.total, entry.minimum,
                               [x for x in own if not is_expired(x.expiry, today) and x.expiry <= horizon])
        keep = {"all": True, "expired": bool(entry.lots), "expiring": bool(entry.lots),
                "below_minimum": entry.below_minimum, "zero": entry.total == 0}[show]
        if keep:
            result.append(entry)
    return result
