"""Transfer pages: the list (to receive, sent), dispatch by scanning, and the transfer slip with receive / cancel."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_, select

from ..catalog.models import Product
from ..clock import utcnow
from ..errors import DomainError
from ..extensions import db
from ..presenters.messages import error_text, form_errors
from ..stores.models import Store
from ..transfers.models import IN_TRANSIT, Transfer
from ..transfers.services import cancel_transfer, lock_transfer, receive_transfer
from .context import current_store

bp = Blueprint("transfers_web", __name__)
LIST_LIMIT = 100


def status_labels() -> dict[str, str]:
    return {"in_transit": _("In transit"), "received": _("Received"),
            "received_with_discrepancy": _("Received short"), "cancelled": _("Cancelled")}


@bp.route("/transfers")
@login_required
def index():
    """The current store's transfers: those to receive first, then every one from or to it, newest first."""
    store = current_store()
    rows = db.session.execute(
        select(Transfer).where(or_(Transfer.from_store_id == store.id, Transfer.to_store_id == store.id))
        .order_by(Transfer.id.desc()).limit(LIST_LIMIT)).scalars().all()
    to_receive = [t for t in rows if t.to_store_id == store.id and t.status == IN_TRANSIT]
    return render_template("transfers/list.html", store=store, to_receive=to_receive, rows=rows,
                           labels=status_labels())


def _draft(store: Store) -> dict | None:
    """A draft prefilled from a rebalancing suggestion (?product_id&lot&quantity&to_store_id): one line of the
    product in its base unit, the lot and the suggested quantity, for the pharmacist to check and dispatch."""
    product = db.session.get(Product, request.args.get("product_id", 0, type=int) or 0)
    if product is None:
        return None
    quantity = max(1, min(request.args.get("quantity", 1, type=int) or 1, 1_000_000))
    return {"product": {"id": product.id, "name": product.name,
                        "units": [{"name": u.name, "factor": u.factor, "price": u.price} for u in product.units]},
            "unit": product.base_unit.name, "lot": request.args.get("lot", "")[:50], "quantity": quantity,
            "to_store_id": request.args.get("to_store_id", 0, type=int)}


@bp.route("/transfers/new")
@login_required
def new():
    wanted = request.args.get("from_store_id", type=int)
    if wanted is not None:  # one click on a suggestion: the transfer leaves from the suggestion's store
        if not current_user.can_access_store(wanted):
            abort(403)
        session["store_id"] = wanted
        g.pop("current_store", None)
    store = current_store()
    destinations = db.session.execute(
        select(Store).where(Store.active.is_(True), Store.id != store.id).order_by(Store.code)).scalars().all()
    strings = {"added": _("Line added: check the quantity."), "saved": _("Transfer dispatched:"),
               "not_found": _("Nothing found."), "pick": _("↑/↓ and Enter to choose"),
               "empty": _("Add at least one line.")}
    draft = _draft(store)
    return render_template("transfers/new.html", store=store, destinations=destinations, strings=strings,
                           draft=draft)


def _transfer(transfer_id: int, *, lock: bool = False) -> Transfer:
    transfer = lock_transfer(db.session, transfer_id) if lock else db.session.get(Transfer, transfer_id)
    user = current_user.user
    if transfer is None or not any(user.can_access_store(s) for s in (transfer.from_store_id, transfer.to_store_id)):
        abort(404)
    return transfer


def _slip(transfer: Transfer, errors: dict | None = None, status: int = 200):
    user = current_user.user
    can_receive = transfer.status == IN_TRANSIT and user.can_access_store(transfer.to_store_id)
    can_cancel = transfer.status == IN_TRANSIT and user.can_access_store(transfer.from_store_id)
    return render_template("transfers/slip.html", transfer=transfer, labels=status_labels(), errors=errors or {},
                           can_receive=can_receive, can_cancel=can_cancel, form=request.form), status


@bp.route("/transfers/<int:transfer_id>")
@login_required
def slip(transfer_id: int):
    return _slip(_transfer(transfer_id))


def _received_lines(transfer: Transfer) -> list[dict]:
    """What the receive form says arrived, per lot in base units (`q_<allocation id>`; blank = all of it)."""
    lines = []
    for line in transfer.lines:
        for allocation in line.allocations:
            raw = request.form.get(f"q_{allocation.id}", "").strip()
            if raw and not raw.isdigit():
                raise DomainError(_("Quantities are whole numbers of base units."), field=f"q_{allocation.id}")
            lines.append({"transfer_line_id": line.id, "lot": allocation.lot, "unit": line.product.base_unit.name,
                          "quantity": int(raw) if raw else allocation.quantity})
    return lines


@bp.route("/transfers/<int:transfer_id>/receive", methods=["POST"])
@login_required
def receive(transfer_id: int):
    transfer = _transfer(transfer_id, lock=True)
    try:
        receive_transfer(db.session, transfer, lines=_merged(_received_lines(transfer)), actor=current_user.user,
                         now=utcnow(), reason=request.form.get("reason", "")[:500])
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        errors = form_errors(exc)
        return _slip(_transfer(transfer_id), errors, 409 if exc.status == 409 else 422)
    flash(_("Transfer %(number)s received.", number=transfer.number))
    return redirect(url_for("transfers_web.slip", transfer_id=transfer.id))


def _merged(lines: list[dict]) -> list[dict]:
    """One entry per (line, lot): a lot number with two expiries is one entry of their sum."""
    merged: dict[tuple[int, str], dict] = {}
    for item in lines:
        key = (item["transfer_line_id"], item["lot"])
        if key in merged:
            merged[key]["quantity"] += item["quantity"]
        else:
            merged[key] = dict(item)
    return list(merged.values())


@bp.route("/transfers/<int:transfer_id>/cancel", methods=["POST"])
@login_required
def cancel(transfer_id: int):
    transfer = _transfer(transfer_id, lock=True)
    try:
        cancel_transfer(db.session, transfer, actor=current_user.user, now=utcnow())
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        return _slip(_transfer(transfer_id), {"": error_text(exc)}, exc.status)
    flash(_("Transfer %(number)s cancelled: the stock is back.", number=transfer.number))
    return redirect(url_for("transfers_web.slip", transfer_id=transfer.id))
