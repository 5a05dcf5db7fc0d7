"""Reading an uploaded sheet (.xlsx or CSV) into rows of cells, for the bulk imports (minimums, price lists)."""
from __future__ import annotations

import csv
import io
import zipfile

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from .errors import Invalid, msg


def read_table(filename: str, data: bytes) -> list[list]:
    """The first sheet's rows (values, not formulas); unreadable files are refused naming `file`."""
    if filename.lower().endswith(".xlsx"):
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise Invalid(msg("The Excel file cannot be read."), field="file") from exc
        rows = [list(row) for row in workbook.active.iter_rows(values_only=True)]
        workbook.close()
        return rows
    if filename.lower().endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise Invalid(msg("A CSV file must be UTF-8."), field="file") from exc
        return [row for row in csv.reader(io.StringIO(text))]
    raise Invalid(msg("Only .xlsx or .csv files."), field="file")


def whole_number(value) -> int | None:
    """A cell as a whole number (1298, 1298.0, "1298"), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value or "").strip()
    return int(text) if text.isdigit() else None
