"""Per-store prices: a store may sell a product unit at its own price instead of the chain price
(`ProductUnit.price`). The counter's preview and the sale read them with the cart's products and units, in
their statement (catalog/queries.py)."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import bindparam, delete, func, insert, select
from sqlalchemy.orm import Session

from ..audit.prices import chain_store_price_changes
from ..errors import Invalid, msg
from .models import Product, ProductUnit, StorePrice
from .queries import products_with_units
from .rules import MAX_PRICE


def store_unit_prices(session: Session, store_id: int, unit_ids: Iterable[int]) -> dict[int, int]:
    """{product unit id: the store's price} for the units it overrides (one statement for the cart)."""
    wanted = set(unit_ids)
    if not wanted:
        return {}
    return dict(session.execute(_STORE_PRICES, {"store_id": store_id, "unit_ids": sorted(wanted)}).all())


# A Core statement built once (the ORM-enabled one cost 0.3 ms a call, this 0.1).
_prices = StorePrice.__table__
_STORE_PRICES = select(_prices.c.product_unit_id, _prices.c.price).where(
    _prices.c.store_id == bindparam("store_id"), _prices.c.product_unit_id.in_(bindparam("unit_ids", expanding=True)))


def loaded_store_prices(units: Iterable[ProductUnit]) -> dict[int, int]:
    """`store_unit_prices` of units read by products_with_units(store_id=…), which loaded them in its statement."""
    return {unit.id: unit.store_price for unit in units if unit.store_price is not None}


def unit_price(unit: ProductUnit, overrides: dict[int, int]) -> int:
    """What the unit sells for in the store whose `overrides` are given."""
    return overrides.get(unit.id, unit.price)


def set_store_prices(session: Session, *, store_id: int, items: list[dict], actor_id: int | None,
                     now: datetime) -> int:
    """Set (price given) or remove (price null) the store's price of each {product_id, unit, price}; the whole
    list is checked first, so a bad item writes nothing. Each price that changes is a document of the store's
    chain. Returns how many prices the store now overrides."""
    products = products_with_units(session, (item["product_id"] for item in items))
    chosen: dict[int, int | None] = {}
    units: dict[int, ProductUnit] = {}
    for index, item in enumerate(items):
        product = products.get(item["product_id"])
        if product is None:
            raise Invalid(msg("Product #%(id)s not found.", id=item["product_id"]), field=f"items[{index}].product_id")
        unit = product.unit_named(item["unit"])
        if unit is None:
            raise Invalid(msg("%(product)s has no unit \"%(unit)s\" (it has: %(units)s).", product=product.name,
                              unit=item["unit"], units=", ".join(u.name for u in product.units)),
                          field=f"items[{index}].unit")
        price = item.get("price")
        if price is not None and not 0 <= price <= MAX_PRICE:
            raise Invalid(msg("A price is between 0 and %(max)s ₫.", max=MAX_PRICE), field=f"items[{index}].price")
        if unit.id in chosen:
            raise Invalid(msg("%(product)s (%(unit)s) is twice in the list.", product=product.name, unit=unit.name),
                          field=f"items[{index}].unit")
        chosen[unit.id], units[unit.id] = price, unit
    if chosen:
        before = store_unit_prices(session, store_id, chosen)
        session.execute(delete(StorePrice).where(StorePrice.store_id == store_id,
                                                 StorePrice.product_unit_id.in_(chosen)))
        rows = [{"store_id": store_id, "product_unit_id": unit_id, "price": price}
                for unit_id, price in chosen.items() if price is not None]
        if rows:
            session.execute(insert(StorePrice), rows)
        chain_store_price_changes(session, store_id, [(units[unit_id], before.get(unit_id), price)
                                                      for unit_id, price in chosen.items()],
                                  actor_id=actor_id, now=now)
    session.flush()
    return session.scalar(select(func.count()).select_from(StorePrice).where(StorePrice.store_id == store_id))


def store_price_rows(store_id: int, *, category_id: int | None = None):
    """(StorePrice, ProductUnit, Product) rows of a store's overrides, by product name then unit size."""
    stmt = (select(StorePrice, ProductUnit, Product)
            .join(ProductUnit, ProductUnit.id == StorePrice.product_unit_id)
            .join(Product, Product.id == ProductUnit.product_id)
            .where(StorePrice.store_id == store_id)
            .order_by(Product.name, Product.id, ProductUnit.factor))
    if category_id is not None:
        stmt = stmt.where(Product.category_id == category_id)
    return stmt
