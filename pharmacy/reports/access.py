"""Who sees which stores in reports, and whose cost figures: owners everything; pharmacists their stores, at
cost only where the owner allowed it for that store."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..stores.models import Store, User
from ..stores.services import get_store, require_store_access


def report_stores(session: Session, actor: User, store_id: int | None = None) -> list[Store]:
    """The stores a report covers: the one asked for (checked), else every store the actor works in."""
    if store_id is not None:
        store = get_store(session, store_id)
        require_store_access(actor, store.id)
        return [store]
    if actor.is_owner:
        return list(session.execute(select(Store).order_by(Store.code)).scalars())
    return sorted(actor.stores, key=lambda store: store.code)


def cost_visible(actor: User, stores: list[Store]) -> set[int]:
    """The stores whose cost, margin and values at cost this actor may see."""
    if actor.is_owner:
        return {store.id for store in stores}
    return {store.id for store in stores if store.pharmacists_see_cost and actor.can_access_store(store.id)}


def sees_all_costs(actor: User, stores: list[Store]) -> bool:
    return len(cost_visible(actor, stores)) == len(stores)
