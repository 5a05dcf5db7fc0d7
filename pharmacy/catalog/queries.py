"""Catalogue reads the documents share: products with their units in one query."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload, lazyload

from .models import Product, ProductUnit


def products_with_units(session: Session, product_ids: Iterable[int]) -> dict[int, Product]:
    """The products by id with their units (not their barcodes) in one statement; unknown ids are left out."""
    wanted = set(product_ids)
    if not wanted:
        return {}
    return {product.id: product
            for product in session.execute(_WITH_UNITS, {"ids": sorted(wanted)}).unique().scalars()}


_WITH_UNITS = (  # built once: every checkout and preview runs it
    select(Product)
    .where(Product.id.in_(bindparam("ids", expanding=True)))
    .options(joinedload(Product.units).options(lazyload(ProductUnit.barcodes)))
)
