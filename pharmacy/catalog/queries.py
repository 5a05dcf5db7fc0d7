"""Catalogue reads the documents share: products with their units in one query."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload, lazyload

from .models import Product, ProductUnit, StorePrice


def products_with_units(session: Session, product_ids: Iterable[int], *,
                        store_id: int | None = None) -> dict[int, Product]:
    """The products by id with their units (not their barcodes) in one statement; unknown ids are left out.
    With `store_id`, each unit's `store_price` is that store's own price (None: it sells at the unit's price),
    read in the same statement (the checkout and the cart preview: one round trip fewer)."""
    wanted = set(product_ids)
    if not wanted:
        return {}
    stmt, parameters = _WITH_UNITS, {"ids": sorted(wanted)}
    if store_id is not None:
        stmt, parameters = _WITH_UNITS_IN_STORE, {**parameters, "store_id": store_id}
    return {product.id: product for product in session.execute(stmt, parameters).unique().scalars()}


_WITH_UNITS = (  # built once: every checkout and preview runs it
    select(Product)
    .where(Product.id.in_(bindparam("ids", expanding=True)))
    .options(joinedload(Product.units).options(lazyload(ProductUnit.barcodes)))
)
# The option stays with the units it loaded: when the session refreshes one of them later, it runs again without
# the statement's parameters, hence its default (no store: None, the chain price).
_STORE_PRICE = (select(StorePrice.price)
                .where(StorePrice.store_id == bindparam("store_id", value=None),
                       StorePrice.product_unit_id == ProductUnit.id)
                .scalar_subquery())
_WITH_UNITS_IN_STORE = _WITH_UNITS.options(  # units already in the session get the store's price too (not a column)
    joinedload(Product.units).with_expression(ProductUnit.store_price, _STORE_PRICE)
).execution_options(populate_existing=True)
