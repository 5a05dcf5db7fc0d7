"""The store matrix: products × stores, base units on hand (expired lots included: they are still in the store)."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..catalog.models import Product
from ..stock.models import StockLot
from ..stores.models import Store


def stock_matrix(session: Session, *, products: list[Product], stores: list[Store]) -> dict:
    """{stores: [...], rows: [{product_id, name, base_unit, per_store: {store_id: quantity}, total}]}."""
    store_ids = [store.id for store in stores]
    product_ids = [product.id for product in products]
    on_hand: dict[tuple[int, int], int] = {}
    if store_ids and product_ids:
        stmt = (select(StockLot.product_id, StockLot.store_id, func.sum(StockLot.quantity))
                .where(StockLot.product_id.in_(product_ids), StockLot.store_id.in_(store_ids))
                .group_by(StockLot.product_id, StockLot.store_id))
        on_hand = {(p, s): int(q or 0) for p, s, q in session.execute(stmt)}
    rows = []
    for product in products:
        per_store = {store_id: on_hand.get((product.id, store_id), 0) for store_id in store_ids}
        rows.append({"product_id": product.id, "name": product.name, "base_unit": product.base_unit.name,
                     "per_store": per_store, "total": sum(per_store.values())})
    return {"stores": [{"store_id": s.id, "code": s.code, "name": s.name} for s in stores], "rows": rows}
