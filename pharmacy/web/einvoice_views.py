"""The e-invoice lookup QR printed on the receipt (SVG)."""
from __future__ import annotations

import io

import segno
from flask import Blueprint, Response, abort
from flask_login import login_required

from ..einvoices.queries import einvoice_summary
from ..extensions import db
from ..stores.models import Store
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
