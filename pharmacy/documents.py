"""Helpers every document service shares: resolving products and units of input lines."""
from __future__ import annotations

from sqlalchemy.orm import Session

from .catalog.models import Product, ProductUnit
from .catalog.services import get_product
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
