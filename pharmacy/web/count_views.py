"""Stock count pages: start a count, the count sheet (scan or type per lot, printable), variance review, approve."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..clock import utcnow
from ..counts.models import COUNTING, StockCount
from ..counts.services import approve_count, cancel_count, record_counts, start_count, submit_count, variance_rows
from ..errors import DomainError
from ..extensions import db
from ..presenters.messages import form_errors
from .context import current_store

bp = Blueprint("counts_web", __name__)


def status_labels() -> dict[str, str]:
    return {"counting": _("Counting"), "submitted": _("Submitted"), "approved": _("Approved"),
            "cancelled": _("Cancelled")}


@bp.route("/stock-counts", methods=["GET", "POST"])
@login_required
def index():
    store = current_store()
    if request.method == "POST":
        count = start_count(db.session, store=store, scope="all", blind=bool(request.form.get("blind")),
                            actor=current_user.user, now=utcnow())
        db.session.commit()
        return redirect(url_for("counts_web.sheet", count_id=count.id))
    counts = db.session.execute(select(StockCount).where(StockCount.store_id == store.id)
                                .order_by(StockCount.id.desc()).limit(100)).scalars().all()
    return render_template("counts/list.html", store=store, counts=counts, labels=status_labels())


def _count(count_id: int) -> StockCount:
    count = db.session.get(StockCount, count_id)
    if count is None or not current_user.user.can_access_store(count.store_id):
        abort(404)
    return count


def _sheet(count: StockCount, errors: dict | None = None, status: int = 200):
    hide = count.blind and count.status == COUNTING and not current_user.user.is_owner
    return render_template("counts/sheet.html", count=count, hide=hide, errors=errors or {}, labels=status_labels(),
                           variances=[] if count.status == COUNTING else variance_rows(count),
                           strings={"unknown": _("This lot is not on the sheet: add it below with its expiry."),
                                    "counted": _("Counted one more pack:")}), status


@bp.route("/stock-counts/<int:count_id>")
@login_required
def sheet(count_id: int):
    return _sheet(_count(count_id))


def _typed_lines(count: StockCount) -> list[dict]:
    """Counted quantities from the sheet (`c_<line id>`, base units; blank = not counted yet) and a new lot."""
    lines = []
    for line in count.lines:
        raw = request.form.get(f"c_{line.id}", "").strip()
        if raw:
            if not raw.isdigit():
                raise DomainError(_("Quantities are whole numbers of base units."), field=f"c_{line.id}")
            lines.append({"product_id": line.product_id, "lot": line.lot, "expiry": line.expiry,
                          "unit": line.product.base_unit.name, "quantity": int(raw)})
    product_id, lot = request.form.get("new_product_id", type=int), request.form.get("new_lot", "").strip()
    if product_id and lot:
        try:
            expiry = date.fromisoformat(request.form.get("new_expiry", ""))
        except ValueError:
            raise DomainError(_("Enter the expiry of the new lot."), field="new_expiry") from None
        unit, quantity = request.form.get("new_unit", ""), request.form.get("new_quantity", "")
        if not quantity.isdigit():
            raise DomainError(_("Quantities are whole numbers of base units."), field="new_quantity")
        lines.append({"product_id": product_id, "lot": lot[:50], "expiry": expiry, "unit": unit,
                      "quantity": int(quantity)})
    return lines


@bp.route("/stock-counts/<int:count_id>", methods=["POST"])
@login_required
def act(count_id: int):
    count, action, user = _count(count_id), request.form.get("action", "save"), current_user.user
    try:
        if action in ("save", "submit"):
            lines = _typed_lines(count)
            if lines:
                record_counts(db.session, count, lines=lines, actor=user)
        if action == "submit":
            submit_count(db.session, count, actor=user, now=utcnow())
        elif action == "approve":
            approve_count(db.session, count, actor=user, now=utcnow())
        elif action == "cancel":
            cancel_count(db.session, count, actor=user)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        errors = form_errors(exc)
        return _sheet(_count(count_id), errors, exc.status)
    flash(_("Stock count %(number)s saved.", number=count.number))
    return redirect(url_for("counts_web.sheet", count_id=count.id))
