"""Price changes as chained documents: a list price on the catalogue chain (it belongs to no one store), a store's
own price on that store's chain; and the prices in force checked against the last change recorded."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from ..catalog.models import ProductUnit, StorePrice
from ..errors import msg
from .chain import chain_document
from .models import CATALOGUE_CHAIN, PriceChange, StorePriceChange
from .verification import Finding


def chain_price_changes(session: Session, product, before: dict[int, int], *, actor_id: int | None,
                        now: datetime) -> list[PriceChange]:
    """A change (and a chain entry) for each unit of `product` whose price differs from `before` (unit id ->
    price before the edit); a unit not in `before` was added by the edit."""
    changes = []
    for unit in product.units:
        old = before.get(unit.id)
        if unit.id in before and old == unit.price:
            continue
        change = PriceChange(product_unit_id=unit.id, product_id=product.id, unit_name=unit.name, old_price=old,
                             new_price=unit.price, user_id=actor_id, created_at=now)
        session.add(change)
        session.flush()
        chain_document(session, "price", change, store_id=CATALOGUE_CHAIN, now=now)
        changes.append(change)
    return changes


def price_altered(session: Session) -> Finding | None:
    """A unit whose price is not the one its last recorded change set: changed behind the application's back."""
    last = (select(PriceChange.product_unit_id, func.max(PriceChange.id).label("id"))
            .group_by(PriceChange.product_unit_id).subquery())
    stmt = (select(PriceChange, ProductUnit.price).join(last, last.c.id == PriceChange.id)
            .join(ProductUnit, ProductUnit.id == PriceChange.product_unit_id)
            .where(ProductUnit.price != PriceChange.new_price).order_by(PriceChange.id).limit(1))
    row = session.execute(stmt).first()
    if row is None:
        return None
    change, price = row
    return Finding(CATALOGUE_CHAIN, "altered", change.number, msg(
        "the price of %(unit)s of product #%(product)s is %(price)s ₫, not the %(recorded)s ₫ recorded in "
        "%(document)s", unit=change.unit_name, product=change.product_id, price=price, recorded=change.new_price,
        document=change.number))


def chain_store_price_changes(session: Session, store_id: int,
                              changes: list[tuple[ProductUnit, int | None, int | None]], *, actor_id: int | None,
                              now: datetime) -> list[StorePriceChange]:
    """A document (and an entry of the store's chain) for each (unit, price before, price after) that differs;
    a price None is no override (the chain price). Call it after the store's prices are written."""
    documents = [StorePriceChange(store_id=store_id, product_unit_id=unit.id, product_id=unit.product_id,
                                  unit_name=unit.name, old_price=old, new_price=new, user_id=actor_id, created_at=now)
                 for unit, old, new in changes if old != new]
    session.add_all(documents)
    session.flush()
    for document in documents:
        chain_document(session, "store_price", document, store_id=store_id, now=now)
    return documents


def store_price_altered(session: Session, store_id: int) -> Finding | None:
    """The store's first unit whose own price is not what its last recorded change set: changed, or removed,
    behind the application's back (a unit removed from its product takes its store prices along)."""
    last = (select(StorePriceChange.product_unit_id, func.max(StorePriceChange.id).label("id"))
            .where(StorePriceChange.store_id == store_id).group_by(StorePriceChange.product_unit_id).subquery())
    stmt = (select(StorePriceChange, StorePrice.price).join(last, last.c.id == StorePriceChange.id)
            .join(ProductUnit, ProductUnit.id == StorePriceChange.product_unit_id)  # a unit removed: no price
            .outerjoin(StorePrice, and_(StorePrice.store_id == store_id,
                                        StorePrice.product_unit_id == StorePriceChange.product_unit_id))
            .where(StorePrice.price.is_distinct_from(StorePriceChange.new_price))
            .order_by(StorePriceChange.id).limit(1))
    row = session.execute(stmt).first()
    if row is None:
        return _unrecorded(session, store_id)
    change, price = row
    values = {"unit": change.unit_name, "product": change.product_id, "document": change.number,
              "recorded": _price(change.new_price), "price": _price(price)}
    if price is None:
        return Finding(store_id, "deleted", change.number, msg(
            "the store's own price of %(unit)s of product #%(product)s (%(recorded)s, recorded in %(document)s) was "
            "removed", **values))
    return Finding(store_id, "altered", change.number, msg(
        "the store's own price of %(unit)s of product #%(product)s is %(price)s, not %(recorded)s recorded in "
        "%(document)s", **values))


def _unrecorded(session: Session, store_id: int) -> Finding | None:
    """A store price no change records (written straight into the database)."""
    recorded = select(StorePriceChange.id).where(StorePriceChange.store_id == store_id,
                                                 StorePriceChange.product_unit_id == StorePrice.product_unit_id)
    stmt = (select(StorePrice.price, ProductUnit).join(ProductUnit, ProductUnit.id == StorePrice.product_unit_id)
            .where(StorePrice.store_id == store_id, ~recorded.exists()).order_by(StorePrice.product_unit_id).limit(1))
    row = session.execute(stmt).first()
    if row is None:
        return None
    price, unit = row
    name = f"{unit.name} #{unit.product_id}"
    return Finding(store_id, "inserted", name, msg(
        "the store's own price of %(unit)s of product #%(product)s (%(price)s) is in no recorded change (written "
        "straight into the database)", unit=unit.name, product=unit.product_id, price=_price(price)))


def _price(price: int | None):
    return msg("the list price") if price is None else msg("%(price)s ₫", price=price)
