"""Helpers every document service shares: resolving products and units of input lines."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from .catalog.models import Product, ProductUnit
from .catalog.services import get_product
from .clock import local_day_bounds
from .errors import Invalid, NotFound


def resolve_line(session: Session, line: dict, index: int) -> tuple[Product, ProductUnit]:
    """The product and unit a line names, with errors pointing at lines[index]."""
    try:
        product = get_product(session, line["product_id"], field=f"lines[{index}].product_id")
    except NotFound as exc:
        raise Invalid(exc.message, errors=exc.errors) from exc
    unit = product.unit_named(line["unit"])
    if unit is None:
        names = ", ".join(u.name for u in product.units)
        raise Invalid(
            f"{product.name} không có đơn vị \"{line['unit']}\" (có: {names}).", field=f"lines[{index}].unit"
        )
    return product, unit


def documents_query(model, *, store_ids: list[int] | None, date_from: date | None = None,
                    date_to: date | None = None) -> Select:
    """The one list query of a document type (sales, receipts, issues, returns, prescriptions): newest first, in the
    given stores (None: every store), created on local days date_from..date_to inclusive."""
    stmt = select(model).order_by(model.id.desc())
    if store_ids is not None:
        stmt = stmt.where(model.store_id.in_(store_ids))
    if date_from is not None:
        stmt = stmt.where(model.created_at >= local_day_bounds(date_from))
    if date_to is not None:
        stmt = stmt.where(model.created_at < local_day_bounds(date_to, end=True))
    return stmt
