"""Price changes as documents of the catalogue chain (prices belong to the catalogue, not to one store)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..catalog.models import ProductUnit
from ..errors import msg
from .chain import Finding, chain_document
from .models import CATALOGUE_CHAIN, PriceChange


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
