"""A supplier's price list from a sheet (.xlsx or CSV): each row matched to a product by national drug code, then
registration number, then barcode; matched rows set the supplier's price, unmatched ones come back for review."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..catalog.models import Barcode, Product, ProductUnit
from ..catalog.queries import products_with_units
from ..catalog.rules import MAX_PRICE
from ..errors import Invalid, msg
from ..spreadsheets import read_table, whole_number
from .models import Supplier, SupplierPrice

MAX_ROWS = 20_000
# Column names a header may use (English, or the Vietnamese field names of the national systems).
COLUMNS = {
    "national_code": ("national_code", "ma_thuoc"),
    "registration_no": ("registration_no", "so_dang_ky"),
    "barcode": ("barcode", "ma_vach"),
    "name": ("name", "ten_thuoc"),
    "unit": ("unit", "don_vi_tinh"),
    "price": ("price", "unit_price", "don_gia"),
}
KEYS = ("national_code", "registration_no", "barcode")


def _columns(header: list) -> dict[str, int]:
    names = [str(cell or "").strip().lower() for cell in header]
    found = {}
    for key, aliases in COLUMNS.items():
        at = next((names.index(alias) for alias in aliases if alias in names), None)
        if at is not None:
            found[key] = at
    if "price" not in found or not any(key in found for key in KEYS):
        raise Invalid(msg("The header row needs a price (or don_gia) column and one of national_code, "
                          "registration_no, barcode."), field="file")
    return found


def _read(filename: str, data: bytes) -> list[dict]:
    rows = [row for row in read_table(filename, data) if any(cell not in (None, "") for cell in row)]
    if not rows:
        raise Invalid(msg("The file is empty."), field="file")
    if len(rows) - 1 > MAX_ROWS:
        raise Invalid(msg("At most %(max)s rows.", max=MAX_ROWS), field="file")
    columns = _columns(rows[0])
    read = []
    for number, row in enumerate(rows[1:], start=2):
        item = {key: (row[at] if at < len(row) else None) for key, at in columns.items()}
        item = {key: value if key == "price" else str(value if value is not None else "").strip()[:200]
                for key, value in item.items()}
        read.append({"row": number, **item})
    return read


def _indexes(session: Session, rows: list[dict]):
    wanted = {key: {row.get(key) for row in rows if row.get(key)} for key in KEYS}
    by_code = dict(session.execute(select(Product.national_code, Product.id)
                                   .where(Product.national_code.in_(wanted["national_code"]))).all())
    by_registration: dict[str, set[int]] = {}
    for number, product_id in session.execute(select(Product.registration_no, Product.id)
                                              .where(Product.registration_no.in_(wanted["registration_no"]))):
        by_registration.setdefault(number, set()).add(product_id)
    by_barcode = {code: (product_id, unit) for code, product_id, unit in session.execute(
        select(Barcode.code, ProductUnit.product_id, ProductUnit.name)
        .join(ProductUnit, ProductUnit.id == Barcode.unit_id).where(Barcode.code.in_(wanted["barcode"])))}
    return by_code, by_registration, by_barcode


def _match(row: dict, by_code, by_registration, by_barcode) -> tuple[int | None, str | None, str]:
    """(product id, the barcode's unit name, how it matched) or (None, None, why not)."""
    if row.get("national_code") and row["national_code"] in by_code:
        return by_code[row["national_code"]], None, "national_code"
    registered = by_registration.get(row.get("registration_no") or "", set())
    if len(registered) == 1:
        return next(iter(registered)), None, "registration_no"
    if row.get("barcode") and row["barcode"] in by_barcode:
        product_id, unit = by_barcode[row["barcode"]]
        return product_id, unit, "barcode"
    return None, None, "ambiguous_registration_no" if len(registered) > 1 else "no_product"


def import_price_list(session: Session, *, supplier: Supplier, filename: str, data: bytes, now: datetime) -> dict:
    """Set the supplier's prices from the sheet's matched rows; answer what matched and what needs a review."""
    rows = _read(filename, data)
    indexes = _indexes(session, rows)
    matched, unmatched, prices = [], [], {}
    plan = [(row, *_match(row, *indexes)) for row in rows]
    products = products_with_units(session, {product_id for _row, product_id, *_rest in plan if product_id})
    for row, product_id, barcode_unit, how in plan:
        price = whole_number(row["price"])
        if product_id is None:
            unmatched.append({**row, "price": price, "reason": how})
            continue
        product = products[product_id]
        unit = product.unit_named(row.get("unit") or barcode_unit or product.base_unit.name)
        if unit is None:
            unmatched.append({**row, "price": price, "reason": "unit", "product_id": product_id})
        elif price is None or not 0 <= price <= MAX_PRICE:
            unmatched.append({**row, "price": price, "reason": "price", "product_id": product_id})
        else:
            prices[(product_id, unit.name)] = price
            matched.append({"row": row["row"], "product_id": product_id, "product_name": product.name,
                            "unit": unit.name, "unit_price": price, "matched_by": how})
    set_prices(session, supplier=supplier, prices=prices, now=now)
    return {"matched": matched, "unmatched": unmatched}


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
