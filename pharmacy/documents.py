"""Helpers every document service shares: resolving products and units of input lines."""
from __future__ import annotations

from sqlalchemy.orm import Session

from .catalog.models import Product, ProductUnit
from .catalog.queries import products_with_units
from .errors import Invalid


def resolve_lines(session: Session, lines: list[dict], *, first_index: int = 0) -> list[tuple[Product, ProductUnit]]:
    """The product and unit each line names (one query for all), with errors pointing at lines[index]."""
    products = products_with_units(session, (line["product_id"] for line in lines))
    resolved = []
    for index, line in enumerate(lines, start=first_index):
        product = products.get(line["product_id"])
        if product is None:
            raise Invalid(f"Không tìm thấy sản phẩm #{line['product_id']}.", field=f"lines[{index}].product_id")
        unit = product.unit_named(line["unit"])
        if unit is None:
            names = ", ".join(u.name for u in product.units)
            raise Invalid(
                f"{product.name} không có đơn vị \"{line['unit']}\" (có: {names}).", field=f"lines[{index}].unit"
            )
        resolved.append((product, unit))
    return resolved


def resolve_line(session: Session, line: dict, index: int) -> tuple[Product, ProductUnit]:
    """One line of a document whose lines are checked one after the other."""
    return resolve_lines(session, [line], first_index=index)[0]
