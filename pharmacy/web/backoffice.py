"""Back-office pages: goods receipt form, stock per store with expiry filters, sales list and sale detail."""
from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..clock import checked_day, local_today
from ..einvoices.queries import einvoice_summary
from ..extensions import db
from ..outbox.models import OutboxMessage
from ..outbox.queries import document_messages
from ..outbox.services import NATIONAL_DRUG_DB
from ..receipts.models import RECEIPT_KINDS
from ..request_limits import checked_id
from ..sales.models import Sale
from ..sales.queries import list_sales, sellers
from ..stock.queries import StockFilter, stock_page
from ..stock.services import expiry_horizon
from ..stores.models import Store
from ..suppliers.services import suppliers_query
from .context import current_store, my_stores

bp = Blueprint("backoffice", __name__)

STOCK_FILTERS = ("all", "expired", "30", "60", "90", "below_minimum")
STOCK_PAGE_SIZE = 50
SUPPLIER_CHOICES = 500


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
        "last_price": _("Last price paid: receipt %(number)s, %(supplier)s"),
    }


@bp.route("/receipts/new")
@login_required
def new_receipt():
    labels = receipt_kind_labels()
    return render_template("receipt_form.html", store=current_store(), kinds=[(k, labels[k]) for k in RECEIPT_KINDS],
                           strings=receipt_form_strings(),
                           suppliers=db.session.execute(suppliers_query().limit(SUPPLIER_CHOICES)).scalars().all())


def stock_filter(show: str, query: str, today: date) -> StockFilter:
    """The page's filter choices as a domain filter: expired lots, lots expiring within N days, below minimum."""
    if show == "expired":
        return StockFilter(expiry_to=today - timedelta(days=1), query=query)
    if show.isdigit():
        return StockFilter(expiry_from=today, expiry_to=expiry_horizon(today, int(show)), query=query)
    return StockFilter(below_minimum=show == "below_minimum", query=query)


@bp.route("/stock")
@login_required
def stock():
    store = current_store()
    show = request.args.get("show", "all")
    if show not in STOCK_FILTERS:
        show = "all"
    page = max(1, request.args.get("page", 1, type=int) or 1)
    today = local_today()
    items, total = stock_page(
        db.session, store_ids=[store.id], wanted=stock_filter(show, request.args.get("q", ""), today), today=today,
        near_days=current_app.config["NEAR_EXPIRY_DAYS"], page=page, per_page=STOCK_PAGE_SIZE,
    )
    return render_template(
        "stock.html", store=store, items=items, total=total, page=page, pages=max(1, -(-total // STOCK_PAGE_SIZE)),
        show=show, q=request.args.get("q", ""), filters=STOCK_FILTERS,
    )


def _date_arg(name: str) -> date | None:
    try:
        day = date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None
    return checked_day(day, field=name)


@bp.route("/sales")
@login_required
def sales():
    stores = my_stores()
    store_ids = [store.id for store in stores]
    wanted_store = checked_id(request.args.get("store_id", type=int), field="store_id")
    if wanted_store is not None and wanted_store not in store_ids:
        abort(403)
    date_from, date_to = _date_arg("date_from"), _date_arg("date_to")
    seller_id = checked_id(request.args.get("seller_id", type=int), field="seller_id")
    found = list_sales(db.session, store_ids=[wanted_store] if wanted_store else store_ids, date_from=date_from,
                       date_to=date_to, seller_id=seller_id)
    sync = sync_messages([sale.id for sale in found])
    return render_template(
        "sales.html", sales=found, stores=stores, sellers=sellers(db.session, store_ids), sync=sync,
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
    messages = document_messages(db.session, [("sale", found.id)] + ([("sale_void", found.void.id)]
                                                                      if found.void else []))
    store = db.session.get(Store, found.store_id)
    return render_template(
        "sale.html", sale=found, store=store, messages=messages, sync_configured=sync_configured(store),
        reportable=any(line.product.is_drug for line in found.lines),
        returns=getattr(found, "returns", []), einvoice=einvoice_summary(db.session, found.id),
    )
