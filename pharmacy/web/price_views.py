"""Store prices page (owner): a store's own price of product units over the chain price — find products by name
or category, type the store's price (empty: the chain price), save them all at once."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..catalog.models import Product, ProductUnit, StorePrice
from ..catalog.search import search_products
from ..catalog.store_prices import set_store_prices, store_price_rows, store_unit_prices
from ..clock import utcnow
from ..errors import DomainError
from ..extensions import db
from ..presenters.messages import error_text
from ..stores.models import Store
from .category_views import all_categories, chosen_category

bp = Blueprint("prices_web", __name__)
LIMIT = 100


def _products(q: str, category_id: int | None, store_id: int) -> list[Product]:
    """Products found by name (and category), else of the category, else those the store prices itself."""
    if q:
        return search_products(db.session, q, limit=LIMIT, category_id=category_id)
    if category_id is not None:
        stmt = db.select(Product).where(Product.category_id == category_id).order_by(Product.name).limit(LIMIT)
        return list(db.session.execute(stmt).scalars())
    seen: dict[int, Product] = {}
    for _own, _unit, product in db.session.execute(store_price_rows(store_id).limit(LIMIT * 3)):
        seen.setdefault(product.id, product)
    return list(seen.values())


def _posted_items() -> tuple[list[dict], dict]:
    """{product_id, unit, price} per unit row of the form, and errors for prices that are not whole numbers."""
    items, errors = [], {}
    units = {u.id: u for u in db.session.execute(db.select(ProductUnit).where(ProductUnit.id.in_(
        [int(v) for v in request.form.getlist("unit_id") if v.isdigit()]))).scalars()}
    for unit_id, raw in zip(request.form.getlist("unit_id"), request.form.getlist("price"), strict=False):
        unit = units.get(int(unit_id)) if unit_id.isdigit() else None
        if unit is None:
            continue
        text = raw.replace(".", "").replace(" ", "").strip()
        if text and not text.isdigit():
            errors[unit.id] = _("Enter a whole number.")
            continue
        items.append({"product_id": unit.product_id, "unit": unit.name, "price": int(text) if text else None})
    return items, errors


@bp.route("/admin/prices", methods=["GET", "POST"])
@login_required
def index():
    if not current_user.is_owner:
        abort(403)
    stores = list(db.session.execute(db.select(Store).order_by(Store.code)).scalars())
    if not stores:
        abort(404)
    store = next((s for s in stores if s.id == request.values.get("store_id", type=int)), stores[0])
    q, category_id = request.args.get("q", "").strip()[:100], chosen_category()
    errors: dict = {}
    if request.method == "POST":
        items, errors = _posted_items()
        if not errors:
            try:
                set_store_prices(db.session, store_id=store.id, items=items, actor_id=current_user.user.id,
                                 now=utcnow())
                db.session.commit()
                flash(_("Prices of %(store)s were saved.", store=store.code))
                return redirect(url_for("prices_web.index", store_id=store.id, q=q or None,
                                        category_id=category_id))
            except DomainError as exc:
                db.session.rollback()
                errors = {"": error_text(exc)}
    products = _products(q, category_id, store.id)
    own = store_unit_prices(db.session, store.id, (u.id for p in products for u in p.units))
    overrides = db.session.scalar(db.select(db.func.count()).select_from(StorePrice)
                                  .where(StorePrice.store_id == store.id))
    return render_template("store_prices.html", stores=stores, store=store, q=q, category_id=category_id,
                           categories=all_categories(), products=products, own=own, errors=errors,
                           overrides=overrides, posted=dict(zip(request.form.getlist("unit_id"),
                                                                request.form.getlist("price"), strict=False))
                           ), 422 if errors else 200
