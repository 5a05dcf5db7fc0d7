"""The owner's audit page: the trail of writes with filters (what, who, days), the last verification of the
tamper-evident journal and a button to verify it now."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..audit.queries import audit_query
from ..audit.verification import last_verification
from ..audit_trail import verify_journal
from ..extensions import db

bp = Blueprint("audit_web", __name__)
PER_PAGE = 100
ENTITIES = {
    "sale": _l("Sale"), "void": _l("Sale void"), "return": _l("Customer return"), "receipt": _l("Goods receipt"),
    "issue": _l("Goods issue"), "transfer_out": _l("Transfer sent"), "transfer_in": _l("Transfer received"),
    "transfer_cancel": _l("Transfer cancelled"), "adjustment": _l("Stock count adjustment"),
    "products": _l("Product"), "product_units": _l("Unit and price"), "stores": _l("Store"), "users": _l("Staff"),
    "stock_settings": _l("Minimum stock"), "suppliers": _l("Supplier"), "customers": _l("Customer"),
    "barcodes": _l("Barcode"), "prescriptions": _l("Prescription"), "price": _l("List price change"),
    "store_price": _l("Store price change"), "store_prices": _l("Store price"),
}
FIELDS = {
    "price": _l("Price"), "name": _l("Name"), "min_quantity": _l("Minimum"), "full_name": _l("Full name"),
    "role": _l("Role"), "active": _l("Active"), "password_hash": _l("Password"), "address": _l("Address"),
    "phone": _l("Phone"), "factor": _l("Factor"), "prescription_only": _l("Prescription only"),
    "licensed_pharmacist": _l("Licensed pharmacist"), "national_password_encrypted": _l("National password"),
    "pharmacist_max_discount_percent": _l("Pharmacist discount ceiling"), "store_id": _l("Store"),
}


def _date(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def channel(entry) -> str:
    if entry.source == "cli":
        return str(_l("Console"))
    if entry.action.split(" ", 1)[-1].startswith("/api/"):
        return str(_l("API"))
    return str(_l("Pages")) if entry.action else ""


@bp.route("/audit")
@login_required
def index():
    if not current_user.is_owner:
        abort(403)
    entity = request.args.get("entity", "")[:50] or None
    user = (request.args.get("user") or "").strip()[:100] or None
    date_from, date_to = _date("date_from"), _date("date_to")
    page = max(int(request.args.get("page", "1")) if request.args.get("page", "1").isdigit() else 1, 1)
    stmt = audit_query(entity=entity, user=user, date_from=date_from, date_to=date_to)
    rows = db.session.scalars(stmt.limit(PER_PAGE + 1).offset((page - 1) * PER_PAGE)).all()
    return render_template("audit.html", rows=rows[:PER_PAGE], more=len(rows) > PER_PAGE, page=page,
                           entity=entity or "", user=user or "", date_from=date_from, date_to=date_to,
                           entities=ENTITIES, fields=FIELDS, channel=channel,
                           verification=last_verification(db.session))


@bp.route("/audit/verify", methods=["POST"])
@login_required
def verify():
    if not current_user.is_owner:
        abort(403)
    verify_journal()
    return redirect(url_for("audit_web.index"))
