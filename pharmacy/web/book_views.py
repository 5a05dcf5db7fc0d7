"""The GPP books page: one book at a time for a store and period, printable on A4, with its Excel download, the
forms that write the registers (quality checks, climate readings and the logger CSV, complaints, adverse
reactions), reversals, and the whole-books ZIP."""
from __future__ import annotations

from datetime import date, datetime

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..books.climate import import_logger_csv, record_reading
from ..books.entries import reverse
from ..books.models import ADVERSE_REACTION, COMPLAINT, ClimateReading, CustomerReport, QualityCheck
from ..books.quality import record_quality_check
from ..books.reports import record_report
from ..catalog.models import Product
from ..clock import LOCAL_TZ, local_today, utcnow
from ..errors import DomainError, Invalid, msg
from ..extensions import db
from ..presenters.book_archive import archive_name, books_zip
from ..presenters.books import BOOKS, book_context, build_book, rules
from ..presenters.messages import error_text, form_errors
from ..reports.access import cost_visible, report_stores
from ..stock.models import SELLABLE, StockLot
from .context import current_store

bp = Blueprint("books_web", __name__, url_prefix="/books")

# the registers written from this page: book name -> (model, kind for customer reports)
REGISTERS = {"quality-control": (QualityCheck, None), "temperature-humidity": (ClimateReading, None),
             "complaints": (CustomerReport, COMPLAINT), "adverse-reactions": (CustomerReport, ADVERSE_REACTION)}


def _day(name: str, default: date) -> date:
    try:
        return date.fromisoformat(request.values.get(name, ""))
    except ValueError:
        return default


def _view() -> dict:
    today = local_today()
    name = request.values.get("book", "stock-movements")
    if name not in BOOKS:
        abort(404)
    store_id = request.values.get("store_id", type=int) or current_store().id
    return {"book": name, "store_id": store_id, "date_from": _day("date_from", today.replace(day=1)),
            "date_to": _day("date_to", today)}


def _lots(store_id: int) -> list:
    """Lots on hand in the store, for the forms' lot choice."""
    return list(db.session.execute(
        select(StockLot.product_id, StockLot.lot, StockLot.expiry).where(
            StockLot.store_id == store_id, StockLot.state == SELLABLE, StockLot.quantity > 0)
        .distinct().order_by(StockLot.product_id, StockLot.expiry)).all())


def _render(view: dict, errors: dict | None = None, status: int = 200):
    table, error = None, None
    try:
        ctx = book_context(current_user.user, view["store_id"], view["date_from"], view["date_to"])
        table = build_book(view["book"], ctx)
    except DomainError as exc:
        if exc.status == 403:
            abort(403)
        error = error_text(exc)
    lots = _lots(view["store_id"]) if view["book"] in REGISTERS else []
    names = dict(db.session.execute(select(Product.id, Product.name).where(
        Product.id.in_({lot.product_id for lot in lots}))).all()) if lots else {}
    query = {"store_id": view["store_id"], "date_from": view["date_from"].isoformat(),
             "date_to": view["date_to"].isoformat()}
    return render_template("books/index.html", view=view, table=table, error=error, errors=errors or {},
                           books=list(BOOKS), registers=REGISTERS, stores=report_stores(db.session, current_user),
                           query=query, lots=lots, product_names=names, rules=rules(), form=request.form,
                           today=local_today(), may_export=table is not None and may_export(ctx.store)), status


def may_export(store) -> bool:
    return store.id in cost_visible(current_user.user, [store])


@bp.route("/")
@login_required
def index():
    return _render(_view())


def _after(view: dict, message: str):
    flash(message)
    return redirect(url_for("books_web.index", book=view["book"], store_id=view["store_id"],
                            date_from=view["date_from"].isoformat(), date_to=view["date_to"].isoformat()))


def _picked_lot(form) -> dict:
    product, _sep, rest = form.get("lot_choice", "").partition("|")
    lot, _sep, expiry = rest.rpartition("|")
    try:
        expiry_day = date.fromisoformat(expiry)
    except ValueError:
        return {}
    if not product.isdigit() or not lot:
        return {}
    return {"product_id": int(product), "lot": lot, "expiry": expiry_day}


def _write(view: dict, form) -> str:
    """Write the entry the form describes; the flash message."""
    who, now, book = current_user.user, utcnow(), view["book"]
    store = book_context(who, view["store_id"], view["date_from"], view["date_to"]).store
    entry_date = _day("entry_date", local_today())
    if book == "quality-control":
        picked = _picked_lot(form)
        if not picked:
            raise Invalid(msg("Choose the lot checked."), field="lot_choice")
        quantity = form.get("quantity_checked", type=int)
        if not quantity:
            raise Invalid(msg("Enter the quantity checked."), field="quantity_checked")
        record_quality_check(db.session, store_id=store.id, actor=who, now=now, rules=rules(), data={
            **picked, "entry_date": entry_date, "unit": form.get("unit", ""), "quantity_checked": quantity,
            "sensory": form.get("sensory", ""), "conclusion": form.get("conclusion", ""),
            "reason": form.get("reason", ""), "action": form.get("action", "")})
        return _("Quality check recorded.")
    if book == "temperature-humidity":
        upload = request.files.get("file")
        if upload is not None and upload.filename:
            result = import_logger_csv(db.session, store_id=store.id, area=form.get("area", ""),
                                       device=form.get("device", ""), corrective_note=form.get("corrective_note", ""),
                                       data=upload.read(), actor=who, now=now, rules=rules())
            return _("%(count)s readings imported, %(skipped)s already there.", count=result["imported"],
                     skipped=result["skipped"])
        try:
            read_at = datetime.fromisoformat(form.get("read_at", "")).replace(tzinfo=LOCAL_TZ)
        except ValueError:
            raise Invalid(msg("Enter the time of the reading."), field="read_at") from None
        record_reading(db.session, store_id=store.id, actor=who, now=now, rules=rules(), data={
            "area": form.get("area", ""), "read_at": read_at, "temperature": form.get("temperature", ""),
            "humidity": form.get("humidity", ""), "device": form.get("device", ""),
            "corrective_note": form.get("corrective_note", "")})
        return _("Reading recorded.")
    picked = _picked_lot(form)
    record_report(db.session, kind=REGISTERS[book][1], store_id=store.id, actor=who, now=now, rules=rules(), data={
        "entry_date": entry_date, "customer_name": form.get("customer_name", ""),
        "customer_phone": form.get("customer_phone", ""), "product_id": picked.get("product_id"),
        "lot": picked.get("lot", ""), "description": form.get("description", ""), "handling": form.get("handling", "")})
    return _("Entry recorded.")


@bp.route("/entries", methods=["POST"])
@login_required
def record():
    view = _view()
    if view["book"] not in REGISTERS:
        abort(404)
    try:
        message = _write(view, request.form)
    except DomainError as exc:
        db.session.rollback()
        if exc.status == 403:
            abort(403)
        return _render(view, form_errors(exc), 422)
    db.session.commit()
    return _after(view, message)


@bp.route("/entries/<int:entry_id>/reversal", methods=["POST"])
@login_required
def reversal(entry_id: int):
    view = _view()
    if view["book"] not in REGISTERS:
        abort(404)
    model, kind = REGISTERS[view["book"]]
    who = current_user.user
    entry = db.session.get(model, entry_id)
    if entry is None or (kind and entry.kind != kind):
        abort(404)
    try:
        reverse(db.session, model, entry_id, reason=request.form.get("reason", ""), actor=who, now=utcnow(),
                store_ids={s.id for s in report_stores(db.session, who)})
    except DomainError as exc:
        db.session.rollback()
        return _render(view, form_errors(exc), 422)
    db.session.commit()
    return _after(view, _("Entry %(id)s reversed.", id=entry_id))


@bp.route("/export.zip")
@login_required
def export():
    """Every book as Excel and the raw documents as CSV, for the store and period (full data extraction)."""
    view = _view()
    ctx = book_context(current_user.user, view["store_id"], view["date_from"], view["date_to"])
    if not may_export(ctx.store):
        abort(403)  # the raw documents carry costs: only for whom the owner lets see them
    return Response(books_zip(ctx), mimetype="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{archive_name(ctx)}"'})
