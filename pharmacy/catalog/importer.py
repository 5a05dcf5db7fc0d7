"""Import of the national catalogue CSV (the sample file's columns); re-import updates, never duplicates."""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from typing import IO

from sqlalchemy.orm import Session

from ..errors import Invalid
from ..text import nfc
from .services import UnitSpec, create_product, find_by_national_code, update_product

COLUMNS = (
    "national_code", "name", "active_ingredient", "strength", "dosage_form", "route", "registration_no",
    "manufacturer", "country", "prescription_only", "base_unit", "units", "barcodes", "base_price", "dosage",
)
TEXT_COLUMNS = (
    "name", "active_ingredient", "strength", "dosage_form", "route", "registration_no", "manufacturer",
    "country", "dosage",
)


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"created {len(self.created)}, updated {len(self.updated)}, unchanged {len(self.unchanged)}"


def _units(row: dict, line: int) -> list[UnitSpec]:
    try:
        base_price = int(row["base_price"] or 0)
        barcodes: dict[str, list[str]] = {}
        for item in filter(None, (row["barcodes"] or "").split(";")):
            unit_name, code = item.split("=", 1)
            barcodes.setdefault(nfc(unit_name).strip(), []).append(code.strip())
        base = nfc(row["base_unit"]).strip()
        specs = [UnitSpec(base, 1, base_price, barcodes.get(base, []))]
        for item in filter(None, (row["units"] or "").split(";")):
            unit_name, factor = item.split(":", 1)
            name = nfc(unit_name).strip()
            specs.append(UnitSpec(name, int(factor), base_price * int(factor), barcodes.get(name, [])))
    except (ValueError, KeyError) as exc:
        raise Invalid(f"Dòng {line}: đơn vị, mã vạch hoặc giá không hợp lệ ({exc}).", field=f"line {line}") from exc
    return specs


def import_catalog(session: Session, stream: IO[str]) -> ImportReport:
    """Create or update products keyed by national code. Raises Invalid naming the first bad line."""
    reader = csv.DictReader(stream)
    missing = [column for column in COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise Invalid(f"Thiếu cột: {', '.join(missing)}", field="file")
    report = ImportReport()
    for line, row in enumerate(reader, start=2):
        code = (row["national_code"] or "").strip()
        if not code or not (row["name"] or "").strip():
            raise Invalid(f"Dòng {line}: thiếu mã thuốc hoặc tên.", field=f"line {line}")
        values = {column: nfc(row[column] or "").strip() for column in TEXT_COLUMNS}
        values["national_code"] = code
        values["prescription_only"] = (row["prescription_only"] or "0").strip() in ("1", "true", "True")
        units = _units(row, line)
        product = find_by_national_code(session, code)
        if product is None:
            create_product(session, values, units)
            report.created.append(code)
            continue
        before = _fingerprint(product)
        update_product(session, product, values, units, merge_units=True)
        (report.updated if _fingerprint(product) != before else report.unchanged).append(code)
    return report


def _fingerprint(product) -> tuple:
    units = tuple(
        (unit.name, unit.factor, unit.price, tuple(sorted(b.code for b in unit.barcodes))) for unit in product.units
    )
    fields = tuple(getattr(product, column) for column in TEXT_COLUMNS + ("prescription_only",))
    return fields + units
