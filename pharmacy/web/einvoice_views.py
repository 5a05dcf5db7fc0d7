"""The e-invoice lookup QR printed on the receipt (SVG), and the end-of-day reconciliation page."""
from __future__ import annotations

import io
from datetime import date

import segno
from flask import Blueprint, Response, abort, render_template, request
from flask_login import login_required

from ..clock import checked_day, local_today
from ..einvoices.queries import einvoice_summary
from ..einvoices.reconciliation import reconcile
from ..errors import DomainError
from ..extensions import db
from ..presenters.reconciliation import ReconciliationSchema
from ..stores.models import Store
from .context import current_store
from .counter_views import sale_for_page

bp = Blueprint("einvoice_web", __name__)
LOOKUP_PORTAL = "https://hoadondientu.gdt.gov.vn"


def lookup_text(store: Store, einvoice: dict) -> str:
    """What the QR carries: the tax authority's portal and the invoice's identifiers to look it up there."""
    return (f"{LOOKUP_PORTAL}?mst={store.seller_tax_code}&khhd={einvoice['symbol']}&shd={einvoice['number']}"
            f"&mcqt={einvoice['mtt_code']}&mtc={einvoice['lookup_code'] or ''}")


@bp.route("/sales/<int:sale_id>/einvoice-qr.svg")
@login_required
def lookup_qr(sale_id: int):
    sale = sale_for_page(sale_id)
    einvoice = einvoice_summary(db.session, sale.id)
    if einvoice is None or not einvoice["mtt_code"]:
        abort(404)
    out = io.BytesIO()
    segno.make(lookup_text(db.session.get(Store, sale.store_id), einvoice), error="m").save(
        out, kind="svg", scale=4, border=2)
    return Response(out.getvalue(), mimetype="image/svg+xml", headers={"Cache-Control": "private, no-store"})


@bp.route("/reconciliation/day")
@login_required
def day_reconciliation():
    """End of day for the store in the top bar: sales vs e-invoices, national documents vs confirmed."""
    store = current_store()
    day = request.args.get("date", type=date.fromisoformat) or local_today()
    try:
        day = checked_day(day, field="date")
    except DomainError:
        day = local_today()
    report = ReconciliationSchema().dump(reconcile(db.session, store, day))
    return render_template("reconciliation_day.html", store=store, day=day, report=report)
