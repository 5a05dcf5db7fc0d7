"""The prescription sales book (Sổ bán thuốc theo đơn), printable, and a prescription's page with its sales."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user, login_required

from ..clock import checked_day, local_day_bounds, local_today
from ..extensions import db
from ..prescriptions.book import book_entries, sales_of
from ..prescriptions.models import Prescription
from ..prescriptions.reading import describe
from ..stores.models import Store
from .context import current_store

bp = Blueprint("prescriptions_web", __name__)


def _day(name: str, default: date) -> date:
    try:
        day = date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return default
    return checked_day(day, field=name)


@bp.route("/prescriptions/book")
@login_required
def book():
    store = current_store()
    today = local_today()
    date_from, date_to = _day("date_from", today.replace(day=1)), _day("date_to", today)
    entries = book_entries(db.session, store_id=store.id, start=local_day_bounds(date_from),
                           end=local_day_bounds(date_to, end=True))
    return render_template("prescriptions/book.html", store=store, entries=entries, date_from=date_from,
                           date_to=date_to)


@bp.route("/prescriptions/<int:prescription_id>")
@login_required
def detail(prescription_id: int):
    prescription = db.session.get(Prescription, prescription_id)
    if prescription is None or not current_user.can_access_store(prescription.store_id):
        abort(404)
    view = describe(db.session, prescription, today=local_today(),
                    validity_days=current_app.config["PRESCRIPTION_VALIDITY_DAYS"])
    return render_template("prescriptions/detail.html", view=view, prescription=prescription,
                           sales=sales_of(db.session, prescription),
                           store=db.session.get(Store, prescription.store_id))
