"""Minimum stock per product for a store: edit many at once, or import a spreadsheet (.xlsx / CSV)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from ..catalog.models import Product
from ..catalog.search import search_products
from ..errors import DomainError
from ..extensions import db
from ..presenters.messages import form_errors
from ..reports.access import report_stores
from ..stock.minimums import read_minimums, set_minimums
from ..stock.models import StockLot, StockSetting

bp = Blueprint("minimums", __name__)

LIST_LIMIT = 200
MAX_UPLOAD = 5 * 1024 * 1024


def _store():
    stores = report_stores(db.session, current_user)
    if not stores:
        abort(403)
    wanted = request.values.get("store_id", type=int)
    store = next((s for s in stores if s.id == wanted), None) if wanted else stores[0]
    return store or abort(403), stores


def _rows(store_id: int, q: str) -> list[tuple[Product, int, int]]:
    """(product, on hand, minimum) for a search, else for every product with a minimum in the store."""
    if q:
        products = search_products(db.session, q, limit=50)
    else:
        products = list(db.session.execute(
            select(Product).join(StockSetting, StockSetting.product_id == Product.id)
            .where(StockSetting.store_id == store_id).order_by(Product.name).limit(LIST_LIMIT)).scalars())
    ids = [p.id for p in products]
    on_hand = dict(db.session.execute(select(StockLot.product_id, func.sum(StockLot.quantity)).where(
        StockLot.store_id == store_id, StockLot.product_id.in_(ids)).group_by(StockLot.product_id)).all())
    minimums = dict(db.session.execute(select(StockSetting.product_id, StockSetting.min_quantity).where(
        StockSetting.store_id == store_id, StockSetting.product_id.in_(ids))).all())
    return [(p, int(on_hand.get(p.id) or 0), minimums.get(p.id, 0)) for p in products]


def _edited_items() -> list[dict]:
    items = []
    for key, value in request.form.items():
        if key.startswith("min_") and key[4:].isdigit() and value.strip() != "":
            if not value.strip().isdigit():
                raise DomainError(_("Minimums are whole numbers of base units."), field=key)
            items.append({"product_id": int(key[4:]), "min_quantity": int(value.strip())})
    return items


@bp.route("/stock/minimums", methods=["GET", "POST"])
@login_required
def index():
    store, stores = _store()
    q = request.values.get("q", "").strip()[:100]
    errors = {}
    if request.method == "POST":
        try:
            if request.form.get("action") == "import":
                upload = request.files.get("file")
                if upload is None or not upload.filename:
                    raise DomainError(_("Choose a .xlsx or .csv file."), field="file")
                data = upload.read(MAX_UPLOAD + 1)
                if len(data) > MAX_UPLOAD:
                    raise DomainError(_("The file is larger than 5 MB."), field="file")
                items = read_minimums(db.session, upload.filename, data)
            else:
                items = _edited_items()
            count = set_minimums(db.session, store_id=store.id, items=items)
            db.session.commit()
            flash(_("%(count)s minimums saved for %(store)s.", count=count, store=store.code))
            return redirect(url_for("minimums.index", store_id=store.id, q=q or None))
        except DomainError as exc:
            db.session.rollback()
            errors = form_errors(exc)
    return render_template("minimums.html", store=store, stores=stores, q=q, rows=_rows(store.id, q),
                           errors=errors), 422 if errors else 200
