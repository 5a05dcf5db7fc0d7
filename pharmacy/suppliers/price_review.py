"""The review of price-list rows that matched nothing: kept at import (a new import of the supplier's list replaces
the rows still pending), then matched by hand to a product and unit, which sets the supplier's price, or dismissed."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..catalog.models import Product
from ..catalog.rules import MAX_PRICE
from ..catalog.search import search_products
from ..errors import Conflict, Invalid, NotFound, msg
from ..stores.models import User
from .models import Supplier, SupplierPrice, SupplierPriceRow

TEXT_FIELDS = ("national_code", "registration_no", "barcode", "name", "unit")


def set_prices(session: Session, *, supplier: Supplier, prices: dict[tuple[int, str], int], now: datetime) -> None:
    """Upsert the supplier's price per (product id, unit name)."""
    existing = {(p.product_id, p.unit_name): p for p in session.execute(
        select(SupplierPrice).where(SupplierPrice.supplier_id == supplier.id)).scalars()}
    for (product_id, unit_name), price in prices.items():
        row = existing.get((product_id, unit_name))
        if row is None:
            session.add(SupplierPrice(supplier_id=supplier.id, product_id=product_id, unit_name=unit_name,
                                      unit_price=price, imported_at=now))
        else:
            row.unit_price, row.imported_at = price, now
    session.flush()


def keep_unmatched(session: Session, *, supplier: Supplier, rows: list[dict], now: datetime) -> None:
    """Replace the supplier's pending rows by this import's unmatched ones (`product_id` when the product was
    found but its unit or price was not)."""
    session.execute(delete(SupplierPriceRow).where(SupplierPriceRow.supplier_id == supplier.id,
                                                   SupplierPriceRow.status == "pending"))
    session.add_all(SupplierPriceRow(
        supplier_id=supplier.id, row=row["row"], price=_price(row.get("price")), reason=row["reason"],
        product_id=row.get("product_id"), imported_at=now, status="pending",
        **{name: (row.get(name) or "")[:200] for name in TEXT_FIELDS}) for row in rows)
    session.flush()


def _price(value) -> int | None:
    """A price worth keeping for the review (a whole VND amount in range), else None: the reviewer types it."""
    return value if isinstance(value, int) and 0 <= value <= MAX_PRICE else None


def review_query(*, supplier_id: int | None = None, status: str = "pending"):
    stmt = select(SupplierPriceRow).where(SupplierPriceRow.status == status)
    if supplier_id is not None:
        stmt = stmt.where(SupplierPriceRow.supplier_id == supplier_id)
    return stmt.order_by(SupplierPriceRow.supplier_id, SupplierPriceRow.row, SupplierPriceRow.id)


def candidates(session: Session, row: SupplierPriceRow, *, limit: int = 5) -> list[Product]:
    """Products the row may be: the one its code found (its unit or price was the problem), then by its name."""
    found = [session.get(Product, row.product_id)] if row.product_id else []
    if row.name:
        found += [p for p in search_products(session, row.name, limit=limit) if p.id != row.product_id]
    return [product for product in found if product is not None][:limit]


def _pending(session: Session, row_id: int) -> SupplierPriceRow:
    row = session.execute(select(SupplierPriceRow).where(SupplierPriceRow.id == row_id)
                          .with_for_update(of=SupplierPriceRow)).scalar_one_or_none()
    if row is None:
        raise NotFound(msg("Price-list row #%(id)s not found.", id=row_id), field="row_id")
    if row.status != "pending":
        raise Conflict(msg("This price-list row was already reviewed."), field="row_id")
    return row


def match_row(session: Session, *, row_id: int, product_id: int, unit: str, unit_price: int | None, actor: User,
              now: datetime) -> SupplierPriceRow:
    """Match a pending row to a product in one of its units: the supplier's price for it becomes the row's (or
    `unit_price` when the row had none or it is corrected)."""
    row = _pending(session, row_id)
    product = session.get(Product, product_id)
    if product is None:
        raise NotFound(msg("Product #%(id)s not found.", id=product_id), field="product_id")
    chosen = product.unit_named(unit)
    if chosen is None:
        raise Invalid(msg("The product has no unit %(unit)s.", unit=unit), field="unit")
    price = row.price if unit_price is None else unit_price
    if price is None or not 0 <= price <= MAX_PRICE:
        raise Invalid(msg("The price is a whole number from 0 to %(max)s ₫.", max=MAX_PRICE), field="unit_price")
    set_prices(session, supplier=row.supplier, prices={(product.id, chosen.name): price}, now=now)
    row.status, row.product_id, row.unit_name, row.price = "matched", product.id, chosen.name, price
    row.reviewed_by_id, row.reviewed_at = actor.id, now
    session.flush()
    return row


def dismiss_row(session: Session, *, row_id: int, actor: User, now: datetime) -> SupplierPriceRow:
    """Leave a row out (a product the pharmacy does not stock): it sets no price."""
    row = _pending(session, row_id)
    row.status, row.reviewed_by_id, row.reviewed_at = "dismissed", actor.id, now
    session.flush()
    return row
