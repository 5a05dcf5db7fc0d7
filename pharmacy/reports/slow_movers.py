"""Slow movers: products on hand in a store that have not sold there for N days (or never), with their value."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..catalog.models import Product
from ..clock import as_utc
from ..stock.models import Movement, StockLot
from ..stores.models import Store


def slow_movers(session: Session, *, store_ids: list[int], days: int, now: datetime,
                category_id: int | None = None) -> list[dict]:
    """Rows {store_id, store, product_id, product_name, base_unit, quantity, stock_value, last_sold, days_idle},
    the longest idle first; `last_sold` None means never sold in that store."""
    if not store_ids:
        return []
    on_hand = (select(StockLot.store_id, StockLot.product_id, func.sum(StockLot.quantity).label("quantity"),
                      func.sum(StockLot.quantity * StockLot.unit_cost).label("value"))
               .where(StockLot.store_id.in_(store_ids), StockLot.quantity > 0)
               .group_by(StockLot.store_id, StockLot.product_id).subquery())
    sold = (select(Movement.store_id, Movement.product_id, func.max(Movement.created_at).label("last"))
            .where(Movement.store_id.in_(store_ids), Movement.kind == "sale")
            .group_by(Movement.store_id, Movement.product_id).subquery())
    cutoff = now - timedelta(days=days)
    stmt = (select(on_hand, sold.c.last, Product, Store.code)
            .join(Product, Product.id == on_hand.c.product_id)
            .join(Store, Store.id == on_hand.c.store_id)
            .outerjoin(sold, (sold.c.store_id == on_hand.c.store_id) & (sold.c.product_id == on_hand.c.product_id))
            .where(or_(sold.c.last.is_(None), sold.c.last < cutoff)))
    if category_id is not None:
        stmt = stmt.where(Product.category_id == category_id)
    rows = []
    for row in session.execute(stmt):
        last = as_utc(row.last) if row.last is not None else None
        rows.append({"store_id": row.store_id, "store": row.code, "product_id": row.product_id,
                     "product_name": row.Product.name, "base_unit": row.Product.base_unit.name,
                     "quantity": int(row.quantity), "stock_value": int(row.value or 0), "last_sold": last,
                     "days_idle": (now - last).days if last is not None else None})
    rows.sort(key=lambda r: (r["last_sold"] is not None, r["last_sold"] or now, r["store"], r["product_name"]))
    return rows
