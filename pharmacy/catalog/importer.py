"""Import of the national catalogue CSV (the sample file's columns); re-import updates, never duplicates."""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from typing import IO

from sqlalchemy.orm import Session

from ..errors import Invalid, Message, msg
from ..text import nfc
from .categories import MAX_NAME, category_for_import
from .rules import product_problems, text_problem
from .services import UnitSpec, create_product, find_by_national_code, update_product

COLUMNS = (
    "national_code", "name", "active_ingredient", "strength", "dosage_form", "route", "registration_no",
    "manufacturer", "country", "prescription_only", "base_unit", "units", "barcodes", "base_price", "dosage",
)
OPTIONAL_COLUMNS = ("category",)  # nhóm hàng by name, made when new; an empty cell leaves the product's as it is
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
        raise _bad(line, "units", msg("invalid unit, barcode or price (%(error)s)", error=str(exc))) from exc
    return specs


def _bad(line: int, column: str | None, problem: Message) -> Invalid:
    """`problem` is a phrase ("the name is missing"), or a sentence of the product rules ending in a period."""
    values = {"line": line, "column": column, "problem": problem}
    if str(problem).endswith("."):
        message = msg("Line %(line)s, column %(column)s: %(problem)s No product was imported.", **values)
    elif column:
        message = msg("Line %(line)s, column %(column)s: %(problem)s. No product was imported.", **values)
    else:
        message = msg("Line %(line)s: %(problem)s. No product was imported.", **values)
    return Invalid(message,
                   field=f"line {line}" + (f".{column}" if column else ""))


# A unit row's problem (units[2].factor) is reported at the CSV column it came from.
def _column_of(path: str) -> str:
    if path.startswith("units[0]"):
        return "barcodes" if path.endswith("barcodes") else "base_price" if path.endswith("price") else "base_unit"
    if path.startswith("units["):
        return "barcodes" if path.endswith("barcodes") else "units"
    return path


def _decoded(stream: IO[str] | IO[bytes]):
    """Text lines of the file; a binary stream is decoded line by line so that bytes that are not UTF-8 are
    reported at their line and column."""
    for number, raw in enumerate(stream, start=1):
        if not isinstance(raw, bytes):
            yield raw
            continue
        try:
            yield raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            index = raw[:exc.start].count(b",")
            column = COLUMNS[index] if index < len(COLUMNS) else None
            raise _bad(number, column, msg("not UTF-8 text (save the file as CSV UTF-8)")) from None


def _rows(stream: IO[str] | IO[bytes]):
    """(line number, row) of the CSV; malformed CSV (unclosed quote, NUL, not UTF-8, short or long rows) is
    Invalid naming the line."""
    reader = csv.DictReader(_decoded(stream), strict=True)
    start = 1
    try:
        missing = [column for column in COLUMNS if column not in (reader.fieldnames or [])]
        if missing:
            raise Invalid(msg("Missing columns: %(columns)s. No product was imported.", columns=", ".join(missing)),
                          field="file")
        while True:
            start = reader.line_num + 1
            row = next(reader, None)
            if row is None:
                return
            if None in row:
                raise _bad(start, None, msg("%(count)s cells more than the header", count=len(row[None])))
            short = [column for column in COLUMNS if row.get(column) is None]
            if short:
                raise _bad(start, short[0], msg("missing cells (the row is shorter than the header)"))
            yield start, row
    except csv.Error as exc:
        raise _bad(start, None, msg("broken CSV (%(error)s: an unclosed quote or a NUL character)",
                                    error=str(exc))) from None
    except UnicodeDecodeError:
        raise _bad(start, None, msg("not UTF-8 text")) from None


def import_catalog(session: Session, stream: IO[str] | IO[bytes]) -> ImportReport:
    """Create or update products keyed by national code. Raises Invalid naming the first bad line and column;
    the caller rolls back, so nothing is imported."""
    report = ImportReport()
    for line, row in _rows(stream):
        code = row["national_code"].strip()
        if not code:
            raise _bad(line, "national_code", msg("the drug code is missing"))
        if not row["name"].strip():
            raise _bad(line, "name", msg("the name is missing"))
        values = {column: nfc(row[column]).strip() for column in TEXT_COLUMNS}
        values["national_code"] = code
        values["prescription_only"] = row["prescription_only"].strip() in ("1", "true", "True")
        units = _units(row, line)
        category = (row.get("category") or "").strip()
        if (problem := text_problem(category, MAX_NAME)) is not None:
            raise _bad(line, "category", problem)
        if category:
            values["category_id"] = category_for_import(session, category).id
        problems = product_problems(values, units)
        if problems:
            path, messages = next(iter(problems.items()))
            raise _bad(line, _column_of(path), messages[0])
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
    fields = tuple(getattr(product, column) for column in TEXT_COLUMNS + ("prescription_only", "category_id"))
    return fields + units
