"""The books ZIP ("full data extraction on request", compliance.md §1): every book as Excel under books/, and the
raw documents of the store and period as CSV under documents/ (one file per table, every column, UTF-8 with BOM,
times in UTC ISO 8601), plus a manifest.json listing each file and its row count."""
from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, datetime

from flask_babel import gettext
from sqlalchemy import Table as SqlTable
from sqlalchemy import or_, select

from ..books.models import ClimateReading, CustomerReport, QualityCheck
from ..counts.models import StockCount, StockCountLine
from ..extensions import db
from ..issues.models import GoodsIssue, IssueLine
from ..models_base import chunks
from ..prescriptions.dispenses import PrescriptionDispense
from ..prescriptions.models import Prescription
from ..receipts.models import Receipt, ReceiptLine
from ..reports.export import safe_text, to_xlsx
from ..sales.models import CustomerReturn, ReturnLine, Sale, SaleAllocation, SaleLine, SaleVoid
from ..stock.models import Movement, StockStateChange
from ..transfers.models import Transfer, TransferAllocation, TransferLine
from .books import BOOKS, BookContext

# Documents of the store in the period: (file, model); their lines: (file, model, parent file, foreign key).
DOCUMENTS = (("sales", Sale), ("sale_voids", SaleVoid), ("customer_returns", CustomerReturn),
             ("receipts", Receipt), ("goods_issues", GoodsIssue), ("transfers", Transfer),
             ("stock_counts", StockCount), ("stock_state_changes", StockStateChange), ("movements", Movement),
             ("prescriptions", Prescription))
LINES = (("sale_lines", SaleLine, "sales", "sale_id"),
         ("sale_allocations", SaleAllocation, "sale_lines", "sale_line_id"),
         ("prescription_dispenses", PrescriptionDispense, "sales", "sale_id"),
         ("return_lines", ReturnLine, "customer_returns", "return_id"),
         ("receipt_lines", ReceiptLine, "receipts", "receipt_id"),
         ("issue_lines", IssueLine, "goods_issues", "issue_id"),
         ("transfer_lines", TransferLine, "transfers", "transfer_id"),
         ("transfer_allocations", TransferAllocation, "transfer_lines", "transfer_line_id"),
         ("stock_count_lines", StockCountLine, "stock_counts", "count_id"))
REGISTERS = (("quality_checks", QualityCheck), ("climate_readings", ClimateReading),
             ("customer_reports", CustomerReport))


def archive_name(ctx: BookContext) -> str:
    return f"so-sach_{ctx.store.code}_{ctx.period.date_from.isoformat()}_{ctx.period.date_to.isoformat()}.zip"


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, str):
        return safe_text(value)
    return value


def _csv(table: SqlTable, rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.name for column in table.columns])
    for row in rows:
        writer.writerow([_cell(row[column.name]) for column in table.columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _in_store(model, ctx: BookContext):
    table = model.__table__
    if model is Transfer:
        where = or_(table.c.from_store_id == ctx.store.id, table.c.to_store_id == ctx.store.id)
    else:
        where = table.c.store_id == ctx.store.id
    return select(table).where(where, table.c.created_at >= ctx.period.start, table.c.created_at < ctx.period.end)


def document_rows(ctx: BookContext) -> dict[str, tuple[SqlTable, list]]:
    """file name -> (table, rows) of every raw document of the store and period."""
    found: dict[str, tuple[SqlTable, list]] = {}
    for name, model in DOCUMENTS:
        found[name] = (model.__table__, list(db.session.execute(_in_store(model, ctx).order_by(
            model.__table__.c.id)).mappings()))
    for name, model, parent, key in LINES:
        ids = [row["id"] for row in found[parent][1]]
        table = model.__table__
        rows = []
        for chunk in chunks(ids):
            rows += db.session.execute(select(table).where(table.c[key].in_(chunk))
                                       .order_by(table.c.id)).mappings().all()
        found[name] = (table, rows)
    for name, model in REGISTERS:
        table = model.__table__
        found[name] = (table, list(db.session.execute(select(table).where(
            table.c.store_id == ctx.store.id, table.c.entry_date >= ctx.period.date_from,
            table.c.entry_date <= ctx.period.date_to).order_by(table.c.id)).mappings()))
    return found


def books_zip(ctx: BookContext, extra: dict[str, tuple[SqlTable, list]] | None = None) -> bytes:
    """`extra`: more files as CSV (path -> (table, rows)), as a retention purge adds under purge/."""
    buffer = io.BytesIO()
    manifest = {"store": ctx.store.code, "date_from": ctx.period.date_from.isoformat(),
                "date_to": ctx.period.date_to.isoformat(), "files": {}}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for build in BOOKS.values():
            table = build(ctx)
            path = f"books/{table.name}.xlsx"
            archive.writestr(path, to_xlsx(table.title, table.columns, table.rows, table.totals,
                                           totals_label=gettext("Total")))
            manifest["files"][path] = len(table.rows)
        for name, (table, rows) in document_rows(ctx).items():
            path = f"documents/{name}.csv"
            archive.writestr(path, _csv(table, rows))
            manifest["files"][path] = len(rows)
        for path, (table, rows) in (extra or {}).items():
            archive.writestr(path, _csv(table, rows))
            manifest["files"][path] = len(rows)
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
    return buffer.getvalue()
