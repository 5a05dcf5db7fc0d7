"""What a product and its units may hold: one rule for the API, the product form, the CSV import and the v2 sync."""
from __future__ import annotations

import re

from sqlalchemy import String

from ..errors import Invalid, Message, msg
from .models import Product, ProductUnit

MAX_FACTOR = 100_000
MAX_PRICE = 1_000_000_000
BARCODE = re.compile(r"[0-9A-Za-z]{4,64}")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _length(column) -> int | None:
    return column.type.length if isinstance(column.type, String) else None


TEXT_LIMITS = {column.key: _length(column) for column in Product.__table__.columns if _length(column)}
UNIT_NAME_MAX = _length(ProductUnit.__table__.columns["name"])


def text_problem(value, limit: int | None) -> Message | None:
    if not isinstance(value, str):
        return None
    if _UNSTORABLE.search(value):
        return msg("Contains characters that are not allowed.")
    if limit and len(value) > limit:
        return msg("At most %(limit)s characters.", limit=limit)
    return None


def product_problems(values: dict, units) -> dict[str, list[Message]]:
    """Field path → problems of product values and unit rows (UnitSpec-like: name, factor, price, barcodes)."""
    errors: dict[str, list[str]] = {}
    for key, value in values.items():
        problem = text_problem(value, TEXT_LIMITS.get(key))
        if problem:
            errors[key] = [problem]
    for index, unit in enumerate(units or ()):
        where = f"units[{index}]"
        name = (unit.name or "").strip()
        problem = msg("Required.") if not name else text_problem(name, UNIT_NAME_MAX)
        if problem:
            errors[f"{where}.name"] = [problem]
        if isinstance(unit.factor, bool) or not isinstance(unit.factor, int) or not 1 <= unit.factor <= MAX_FACTOR:
            errors[f"{where}.factor"] = [msg("The factor is a whole number from 1 to %(max)s.",
                                             max=f"{MAX_FACTOR:,}".replace(",", "."))]
        if isinstance(unit.price, bool) or not isinstance(unit.price, int) or not 0 <= unit.price <= MAX_PRICE:
            errors[f"{where}.price"] = [msg("The price is a whole number from 0 to %(max)s ₫.",
                                            max=f"{MAX_PRICE:,}".replace(",", "."))]
        bad = [code for code in unit.barcodes or () if not BARCODE.fullmatch(code)]
        if bad:
            errors[f"{where}.barcodes"] = [msg("Invalid barcode: %(codes)s (4–64 letters/digits).",
                                               codes=", ".join(bad)[:100])]
    return errors


def check_product(values: dict, units) -> None:
    errors = product_problems(values, units)
    if errors:
        raise Invalid(msg("The product has invalid values: %(fields)s.", fields=", ".join(errors)), errors=errors)
