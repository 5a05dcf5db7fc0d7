"""The shift page (open with a float, cash in/out, close with the counted cash) and the printable shift report."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..clock import utcnow
from ..errors import DomainError, NotFound
from ..extensions import db
from ..presenters.messages import form_errors
from ..shifts.services import (
    add_cash_movement,
    close_shift,
    get_shift,
    open_shift,
    open_shift_of,
    report_figures,
    shifts_query,
)
from ..stores.models import Store
from .context import current_store

bp = Blueprint("shifts_web", __name__)

RECENT = 20


def _amount(name: str) -> int:
    raw = request.form.get(name, "").strip().replace(".", "").replace(" ", "")
    if not raw.isdigit() or len(raw) > 12:
        raise DomainError(_("Enter a whole amount of VND."), field=name)
    return int(raw)


def _page(errors: dict | None = None, status: int = 200):
    store = current_store()
    shift = open_shift_of(db.session, user_id=current_user.user.id, store_id=store.id)
    figures = report_figures(db.session, shift, now=utcnow()) if shift else None
    recent = db.session.execute(shifts_query(current_user.user, store_id=store.id).limit(RECENT)).scalars().all()
    return render_template("shifts.html", store=store, shift=shift, figures=figures, recent=recent,
                           errors=errors or {}), status


def _act(action, next_url: str | None = None):
    """Run one change, commit and go back to the page; a refusal shows the page again with the field named."""
    try:
        message = action()
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        return _page(form_errors(exc), 422)
    flash(message)
    return redirect(next_url or url_for("shifts_web.index"))


@bp.route("/shifts")
@login_required
def index():
    return _page()


@bp.route("/shifts/open", methods=["POST"])
@login_required
def open_():
    def action():
        open_shift(db.session, store=current_store(), opening_cash=_amount("opening_cash"),
                   actor=current_user.user, now=utcnow())
        return _("Shift opened.")
    return _act(action)


def _own_shift(shift_id: int):
    try:
        return get_shift(db.session, shift_id, current_user.user)
    except NotFound:
        abort(404)


@bp.route("/shifts/<int:shift_id>/cash", methods=["POST"])
@login_required
def cash(shift_id: int):
    shift = _own_shift(shift_id)

    def action():
        add_cash_movement(db.session, shift=shift, kind=request.form.get("kind", ""), amount=_amount("amount"),
                          reason=request.form.get("reason", "")[:500], actor=current_user.user, now=utcnow())
        return _("Cash movement recorded.")
    return _act(action)


@bp.route("/shifts/<int:shift_id>/close", methods=["POST"])
@login_required
def close(shift_id: int):
    shift = _own_shift(shift_id)

    def action():
        close_shift(db.session, shift=shift, counted_cash=_amount("counted_cash"),
                    note=request.form.get("note", "")[:500], actor=current_user.user, now=utcnow())
        return _("Shift closed.")
    return _act(action, url_for("shifts_web.report", shift_id=shift.id))


@bp.route("/shifts/<int:shift_id>/report")
@login_required
def report(shift_id: int):
    shift = _own_shift(shift_id)
    return render_template("shift_report.html", shift=shift, store=db.session.get(Store, shift.store_id),
                           figures=report_figures(db.session, shift, now=utcnow()))
