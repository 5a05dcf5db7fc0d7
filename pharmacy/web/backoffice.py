"""Back-office pages: goods receipt form, stock per store with expiry filters, sales list and sale detail."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..api.sales import local_day_bounds
from ..clock import local_today
from ..extensions import db
from ..outbox.models import OutboxMessage
from ..outbox.services import NATIONAL_DRUG_DB
from ..receipts.models import RECEIPT_KINDS
from ..sales.models import Sale
from ..stock.fefo import is_expired
from ..stock.services import expiry_horizon, stock_rows
from ..stores.models import Store, User
from ..text import fold
from .context import current_store, my_stores

bp = Blueprint("backoffice", __name__)

STOCK_FILTERS = ("all", "expired", "30", "60", "90", "below_minimum")


def receipt_kind_labels() -> dict[str, str]:
    return {"supplier": _("From a supplier"), "customer_return": _("Customer return"), "opening": _("Opening stock")}


def receipt_form_strings() -> dict[str, str]:
    """What the goods receipt form's JS shows (static/js/receipt_form.js)."""
    return {
        "added": _("Line added: check quantity and price."), "saved": _("Receipt saved:"),
        "not_found": _("Nothing found."), "pick": _("↑/↓ and Enter to choose"),
        "ambiguous": _("The scanner dropped separators: type the lot printed on the pack."),
        "empty": _("Add at least one line."),
        "free_question": _("%(products)s: unit price 0 ₫. Is this free goods (a sample or a gift from the supplier)?"),
        "enter_price": _("Enter the unit price, then save (F9)."),
    }


@bp.route("/receipts/new")
@login_required
def new_receipt():
    labels = receipt_kind_labels()
    return render_template("receipt_form.html", store=current_store(), kinds=[(k, labels[k]) for k in RECEIPT_KINDS],
                           strings=receipt_form_strings())


def _stock_query(store_id: int, show: str, today: date):
    days = int(show) if show.isdigit() else None
    rows = stock_rows(
        db.session, store_ids=[store_id], below_minimum=show == "below_minimum",
        expiring_before=expiry_horizon(today, days) if days is not None else (today if show == "expired" else None),
    )
    if show == "expired":
        rows = [(lot, minimum) for lot, minimum in rows if is_expired(lot.expiry, today)]
    elif days is not None:
        rows = [(lot, minimum) for lot, minimum in rows if not is_expired(lot.expiry, today)]
    return rows


@bp.route("/stock")
@login_required
def stock():
    store = current_store()
    show = request.args.get("show", "all")
    if show not in STOCK_FILTERS:
        show = "all"
    query = fold(request.args.get("q", ""))
    today = local_today()
    rows = [(lot, minimum) for lot, minimum in _stock_query(store.id, show, today)
            if not query or query in lot.product.search_text]
    totals: dict[int, int] = {}
    for lot, _minimum in rows:
        totals[lot.product_id] = totals.get(lot.product_id, 0) + lot.quantity
    near = expiry_horizon(today, current_app.config["NEAR_EXPIRY_DAYS"])
    return render_template(
        "stock.html", store=store, rows=rows, show=show, q=request.args.get("q", ""), today=today, near=near,
        totals=totals, filters=STOCK_FILTERS, is_expired=is_expired,
    )


def _date_arg(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


@bp.route("/sales")
@login_required
def sales():
    stores = my_stores()
    store_ids = [store.id for store in stores]
    wanted_store = request.args.get("store_id", type=int)
    if wanted_store is not None and wanted_store not in store_ids:
        abort(403)
    date_from, date_to = _date_arg("date_from"), _date_arg("date_to")
    seller_id = request.args.get("seller_id", type=int)
    query = db.select(Sale).where(Sale.store_id.in_([wanted_store] if wanted_store else store_ids))
    if date_from:
        query = query.where(Sale.created_at >= local_day_bounds(date_from))
    if date_to:
        query = query.where(Sale.created_at < local_day_bounds(date_to, end=True))
    if seller_id:
        query = query.where(Sale.user_id == seller_id)
    found = list(db.session.execute(query.order_by(Sale.id.desc()).limit(200)).scalars())
    sellers = list(db.session.execute(
        db.select(User).where(User.id.in_(db.select(Sale.user_id).where(Sale.store_id.in_(store_ids)))).order_by(User.username)
    ).scalars())
    sync = sync_messages([sale.id for sale in found])
    return render_template(
        "sales.html", sales=found, stores=stores, sellers=sellers, sync=sync,
        args={"store_id": wanted_store, "seller_id": seller_id, "date_from": date_from, "date_to": date_to},
    )


def sync_messages(sale_ids: list[int]) -> dict[int, OutboxMessage]:
    """The national-upload message of each sale, when one was queued."""
    if not sale_ids:
        return {}
    stmt = db.select(OutboxMessage).where(
        OutboxMessage.target == NATIONAL_DRUG_DB, OutboxMessage.document_type == "sale",
        OutboxMessage.document_id.in_(sale_ids),
    )
    return {message.document_id: message for message in db.session.execute(stmt).scalars()}


def sync_configured(store) -> bool:
    """National upload needs the store's national login and a national endpoint (or the sandbox)."""
    config = current_app.config
    endpoint = config.get("NATIONAL_DRUG_DB_URL") or config.get("CSDL_DUOC_URL") or config.get("SANDBOX_MODE")
    return bool(store.national_username and endpoint)


@bp.route("/sales/<int:sale_id>")
@login_required
def sale(sale_id: int):
    found = db.session.get(Sale, sale_id)
    if found is None or not current_user.can_access_store(found.store_id):
        abort(404)
    stmt = db.select(OutboxMessage).where(
        OutboxMessage.document_id.in_([found.id] + ([found.void.id] if found.void else [])),
        OutboxMessage.document_type.in_(("sale", "sale_void")),
    ).order_by(OutboxMessage.id)
    messages = [m for m in db.session.execute(stmt).scalars()
                if m.document_type == "sale" or (found.void and m.document_id == found.void.id)]
    store = db.session.get(Store, found.store_id)
    return render_template(
        "sale.html", sale=found, store=store, messages=messages, sync_configured=sync_configured(store),
        reportable=any(line.product.is_drug for line in found.lines),
        returns=getattr(found, "returns", []),
    )
