"""Helpers every document service shares: resolving products and units of input lines."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from .catalog.models import Product, ProductUnit
from .catalog.queries import products_with_units
from .clock import local_day_bounds
from .errors import Invalid, Message, msg


def no_such_unit(product: str, unit: str, units: str) -> Message:
    return msg('%(product)s has no unit "%(unit)s" (it has: %(units)s).', product=product, unit=unit, units=units)


def resolve_lines(session: Session, lines: list[dict], *, first_index: int = 0,
                  store_id: int | None = None) -> list[tuple[Product, ProductUnit]]:
    """The product and unit each line names (one query for all), with errors pointing at lines[index]; with
    `store_id`, the units carry that store's own prices (products_with_units)."""
    products = products_with_units(session, (line["product_id"] for line in lines), store_id=store_id)
    resolved = []
    for index, line in enumerate(lines, start=first_index):
        product = products.get(line["product_id"])
        if product is None:
            raise Invalid(msg("Product #%(id)s not found.", id=line["product_id"]), field=f"lines[{index}].product_id")
        unit = product.unit_named(line["unit"])
        if unit is None:
            names = ", ".join(u.name for u in product.units)
            raise Invalid(
                no_such_unit(product.name, line["unit"], names), field=f"lines[{index}].unit"
            )
        resolved.append((product, unit))
    return resolved


def resolve_line(session: Session, line: dict, index: int) -> tuple[Product, ProductUnit]:
    """One line of a document whose lines are checked one after the other."""
    return resolve_lines(session, [line], first_index=index)[0]


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
