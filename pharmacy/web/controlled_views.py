"""The controlled-drug books of the current store, printable on A4: the XNT book per product and lot (Annex VIII)
and the customer-detail book (Annex XXI)."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template, request
from flask_login import login_required

from ..clock import checked_day, local_today
from ..controlled.books import customer_book, xnt_book
from ..extensions import db
from .context import current_store

bp = Blueprint("controlled_web", __name__)
BOOK_ROWS = 2000


def _days() -> tuple[date, date]:
    today = local_today()
    days = []
    for name, default in (("date_from", today.replace(day=1)), ("date_to", today)):
        try:
            days.append(checked_day(date.fromisoformat(request.args.get(name, "")), field=name))
        except ValueError:
            days.append(default)
    return days[0], days[1]


@bp.route("/controlled/books/xnt")
@login_required
def xnt():
    store = current_store()
    date_from, date_to = _days()
    books = xnt_book(db.session, store_id=store.id, date_from=date_from, date_to=date_to)
    return render_template("controlled/xnt.html", store=store, books=books, date_from=date_from, date_to=date_to)


@bp.route("/controlled/books/customers")
@login_required
def customers():
    store = current_store()
    date_from, date_to = _days()
    stmt = customer_book(store_id=store.id, date_from=date_from, date_to=date_to).limit(BOOK_ROWS)
    return render_template("controlled/customers.html", store=store, entries=db.session.scalars(stmt).all(),
                           date_from=date_from, date_to=date_to, limit=BOOK_ROWS)
