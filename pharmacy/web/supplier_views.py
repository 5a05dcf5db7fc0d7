"""The owner's suppliers page: suppliers with what is owed (ageing), add one, pay one, import a price list."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..clock import local_today, utcnow
from ..errors import DomainError
from ..extensions import db
from ..presenters.messages import form_errors
from ..spreadsheets import whole_number
from ..suppliers.price_lists import import_price_list
from ..suppliers.services import debts, get_supplier, record_payment, save_supplier, suppliers_query

bp = Blueprint("suppliers_web", __name__)

LIST_LIMIT = 200
MAX_UPLOAD = 5 * 1024 * 1024


def _owner():
    if not current_user.is_owner:
        abort(403)


def _page(errors: dict | None = None, result: dict | None = None, status: int = 200):
    suppliers = db.session.execute(suppliers_query().limit(LIST_LIMIT)).scalars().all()
    owed = debts(db.session, suppliers, today=local_today())
    return render_template("suppliers.html", suppliers=suppliers, owed=owed, errors=errors or {},
                           result=result), status


def _refused(exc: DomainError):
    db.session.rollback()
    return _page(form_errors(exc), status=422)


@bp.route("/suppliers", methods=["GET", "POST"])
@login_required
def index():
    _owner()
    if request.method == "GET":
        return _page()
    form = request.form
    try:
        if form.get("action") == "pay":
            amount = whole_number(form.get("amount", "").replace(".", ""))
            if amount is None:
                raise DomainError(_("Enter a whole amount of VND."), field="amount")
            supplier = get_supplier(db.session, whole_number(form.get("supplier_id")) or 0)
            record_payment(db.session, supplier=supplier, amount=amount, note=form.get("note", "")[:500],
                           method=form.get("method", "bank_transfer"), actor=current_user.user, now=utcnow())
            message = _("Payment recorded.")
        else:
            save_supplier(db.session, {key: form.get(key, "")[:500] for key in ("name", "tax_code", "address",
                                                                                "phone")})
            message = _("Supplier added.")
        db.session.commit()
    except DomainError as exc:
        return _refused(exc)
    flash(message)
    return redirect(url_for("suppliers_web.index"))


@bp.route("/suppliers/<int:supplier_id>/price-list", methods=["POST"])
@login_required
def price_list(supplier_id: int):
    _owner()
    upload = request.files.get("file")
    try:
        if upload is None or not upload.filename:
            raise DomainError(_("Choose a .xlsx or .csv file."), field="file")
        data = upload.read(MAX_UPLOAD + 1)
        if len(data) > MAX_UPLOAD:
            raise DomainError(_("The file is larger than 5 MB."), field="file")
        supplier = get_supplier(db.session, supplier_id)
        result = import_price_list(db.session, supplier=supplier, filename=upload.filename, data=data, now=utcnow())
        db.session.commit()
    except DomainError as exc:
        return _refused(exc)
    return _page(result={"supplier": supplier, **result})
