"""Minimum stock per product per store in bulk: a list of items, or a spreadsheet (.xlsx or CSV) read into one."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..catalog.models import Product
from ..errors import Invalid, msg
from ..spreadsheets import read_table, whole_number
from .services import set_min_quantity

MAX_MINIMUM = 10_000_000
MAX_ROWS = 20_000
PRODUCT_COLUMNS = ("product_id", "national_code")


def set_minimums(session: Session, *, store_id: int, items: list[dict]) -> int:
    """Set each {product_id, min_quantity} (base units) of the store; all or nothing. Returns how many were set."""
    if not items:
        raise Invalid(msg("At least one line is needed."), field="items")
    known = set(session.execute(select(Product.id).where(Product.id.in_({i["product_id"] for i in items}))).scalars())
    for index, item in enumerate(items):
        if item["product_id"] not in known:
            raise Invalid(msg("Product #%(id)s not found.", id=item["product_id"]), field=f"items[{index}].product_id")
        if not 0 <= item["min_quantity"] <= MAX_MINIMUM:
            raise Invalid(msg("A minimum is from 0 to %(max)s.", max=MAX_MINIMUM), field=f"items[{index}].min_quantity")
    for item in items:
        set_min_quantity(session, store_id=store_id, product_id=item["product_id"],
                         min_quantity=item["min_quantity"])
    return len(items)


def read_minimums(session: Session, filename: str, data: bytes) -> list[dict]:
    """Rows of a sheet with a header naming product_id or national_code, and min_quantity → items."""
    rows = [row for row in read_table(filename, data) if any(cell not in (None, "") for cell in row)]
    if not rows:
        raise Invalid(msg("The file is empty."), field="file")
    header = [str(cell or "").strip().lower() for cell in rows[0]]
    key = next((name for name in PRODUCT_COLUMNS if name in header), None)
    if key is None or "min_quantity" not in header:
        raise Invalid(msg("The header row needs the columns product_id (or national_code) and min_quantity."),
                      field="file")
    if len(rows) - 1 > MAX_ROWS:
        raise Invalid(msg("At most %(rows)s rows.", rows=MAX_ROWS), field="file")
    at, min_at = header.index(key), header.index("min_quantity")
    codes = {}
    if key == "national_code":
        wanted = {str(row[at]).strip() for row in rows[1:] if row[at] is not None}
        codes = dict(session.execute(select(Product.national_code, Product.id)
                                     .where(Product.national_code.in_(wanted))).all())
    items = []
    for number, row in enumerate(rows[1:], start=2):
        cell, minimum = (row[at] if at < len(row) else None), (row[min_at] if min_at < len(row) else None)
        product_id = codes.get(str(cell).strip()) if key == "national_code" else whole_number(cell)
        if product_id is None:
            raise Invalid(msg('Row %(row)s: product "%(cell)s" not recognised.', row=number, cell=cell),
                          field=f"rows[{number}].{key}")
        value = whole_number(minimum)
        if value is None or not 0 <= value <= MAX_MINIMUM:
            raise Invalid(msg('Row %(row)s: invalid minimum "%(minimum)s".', row=number, minimum=minimum),
                          field=f"rows[{number}].min_quantity")
        items.append({"product_id": product_id, "min_quantity": value})
    return items

