"""Catalogue reads the documents share: products with their units in one query."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, lazyload

from .models import Product, ProductUnit


def products_with_units(session: Session, product_ids: Iterable[int]) -> dict[int, Product]:
    """The products by id with their units (not their barcodes) in one statement; unknown ids are left out."""
    wanted = set(product_ids)
    if not wanted:
        return {}
    stmt = (
        select(Product)
        .where(Product.id.in_(wanted))
        .options(joinedload(Product.units).options(lazyload(ProductUnit.barcodes)))
    )
    return {product.id: product for product in session.execute(stmt).unique().scalars()}
