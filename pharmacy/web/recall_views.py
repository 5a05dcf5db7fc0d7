"""Recall pages: the list with deadlines and a form to enter a decision (owner), a recall's detail (stock, sales to
contact for levels 1–2, export, return to supplier) and the printable recall book."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..clock import local_today, utcnow
from ..errors import DomainError
from ..extensions import db
from ..presenters.messages import form_errors
from ..recalls.book import recall_book
from ..recalls.models import Recall
from ..recalls.returns import return_recalled_stock
from ..recalls.services import affected_sales, affected_stock, create_recall
from ..reports.access import report_stores
from ..stores.services import accessible_store_ids, get_store, require_store_access

bp = Blueprint("recalls_web", __name__, url_prefix="/recalls")
LIST_LIMIT = 200


def _recalls() -> list[Recall]:
    return list(db.session.execute(select(Recall).order_by(Recall.decision_date.desc(), Recall.id.desc())
                                   .limit(LIST_LIMIT)).scalars())


def _form_data(form) -> dict:
    try:
        decision_date = date.fromisoformat(form.get("decision_date", ""))
    except ValueError:
        decision_date = None
    return {"decision_number": form.get("decision_number", ""), "decision_date": decision_date,
            "level": form.get("level", type=int), "registration_no": form.get("registration_no") or None,
            "gtin": form.get("gtin") or None, "product_id": form.get("product_id", type=int),
            "lots": form.get("lots", "").strip(),
            "reason": form.get("reason", ""), "source": form.get("source", "")}


@bp.route("/", methods=["GET", "POST"])
@login_required
def index():
    errors = {}
    if request.method == "POST":
        if not current_user.is_owner:
            abort(403)
        try:
            recall = create_recall(db.session, data=_form_data(request.form), actor=current_user.user, now=utcnow())
        except DomainError as error:
            db.session.rollback()
            errors = form_errors(error)
        else:
            db.session.commit()
            flash(_("Recall %(number)s entered: its lots are quarantined in every store.",
                    number=recall.decision_number))
            return redirect(url_for("recalls_web.detail", recall_id=recall.id))
    return render_template("recalls/index.html", recalls=_recalls(), today=local_today(), errors=errors,
                           form=request.form)


@bp.route("/<int:recall_id>", methods=["GET", "POST"])
@login_required
def detail(recall_id: int):
    recall = db.session.get(Recall, recall_id) or abort(404)
    stores = accessible_store_ids(current_user.user)
    errors = {}
    if request.method == "POST":
        try:
            store = get_store(db.session, request.form.get("store_id", type=int) or 0)
            require_store_access(current_user.user, store.id)
            issue = return_recalled_stock(db.session, recall, store=store, actor=current_user.user, now=utcnow(),
                                          receiver_name=request.form.get("receiver_name", "").strip())
        except DomainError as error:
            db.session.rollback()
            errors = form_errors(error)
        else:
            db.session.commit()
            flash(_("Goods issue %(number)s posted: returned to the supplier.", number=issue.number))
            return redirect(url_for("recalls_web.detail", recall_id=recall.id))
    return render_template(
        "recalls/detail.html", recall=recall, today=local_today(), errors=errors,
        stock=affected_stock(db.session, recall, stores), sales=affected_sales(db.session, recall, stores),
        store_map={store.id: store for store in report_stores(db.session, current_user.user)},
    )


@bp.route("/book")
@login_required
def book():
    """The recall book, in A4 book form for printing."""
    rows = recall_book(db.session, _recalls(), accessible_store_ids(current_user.user))
    return render_template("recalls/book.html", rows=rows, printed=utcnow())
