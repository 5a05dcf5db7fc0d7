"""Report tables as files: a real .xlsx (typed cells, header row, totals row) and a CSV Excel opens in UTF-8."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

KINDS = ("text", "int", "money", "date")
MONEY_FORMAT = '#,##0 "₫"'
INT_FORMAT = "#,##0"
DATE_FORMAT = "dd/mm/yyyy"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    key: str
    header: object  # a text, or a lazily translated one (str() gives it in the reader's language)
    kind: str = "text"


def safe_text(value) -> str:
    """Text a spreadsheet will never run as a formula (a leading = + - @ gets a quote)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _cell_value(column: Column, value):
    if value is None:
        return None
    if column.kind == "text":
        return safe_text(value)
    if column.kind == "date":
        return value if isinstance(value, date) else date.fromisoformat(str(value))
    return int(value)


def sheet_title(title) -> str:
    """A name Excel accepts for a sheet: at most 31 characters, none of : \\ / ? * [ ]."""
    cleaned = "".join(" " if ch in ':\\/?*[]' else ch for ch in str(title)).strip()
    return cleaned[:31] or "Sheet1"


def to_xlsx(title, columns: list[Column], rows: list[dict], totals: dict | None, *,
            totals_label: str = "Total") -> bytes:
    """`title` and the columns' headers are already in the reader's language (the caller translates them)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title(title))
    bold = Font(bold=True)

    def cells(values: list, *, font=None):
        out = []
        for column, value in zip(columns, values, strict=False):
            cell = WriteOnlyCell(sheet, value=value)
            if font is not None:
                cell.font = font
            if column.kind == "money" and not isinstance(value, str):
                cell.number_format = MONEY_FORMAT
            elif column.kind == "int" and not isinstance(value, str):
                cell.number_format = INT_FORMAT
            elif column.kind == "date" and isinstance(value, date):
                cell.number_format = DATE_FORMAT
            out.append(cell)
        return out

    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=str(column.header))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append(cells([_cell_value(column, row.get(column.key)) for column in columns]))
    if totals is not None:
        sheet.append(cells(_totals_values(columns, totals, totals_label), font=bold))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _totals_values(columns: list[Column], totals: dict, label: str) -> list:
    values = []
    for index, column in enumerate(columns):
        if index == 0:
            values.append(label)
        elif column.kind in ("int", "money") and totals.get(column.key) is not None:
            values.append(int(totals[column.key]))
        else:
            values.append(None)
    return values


def to_csv(columns: list[Column], rows: list[dict], totals: dict | None, *, totals_label: str = "Total") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([str(column.header) for column in columns])
    for row in rows:
        writer.writerow([_csv_value(column, row.get(column.key)) for column in columns])
    if totals is not None:
        writer.writerow(["" if v is None else v for v in _totals_values(columns, totals, totals_label)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


def _csv_value(column: Column, value):
    value = _cell_value(column, value)
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else value
