"""Stock across stores: search a product (the counter's search) → the store matrix, then one product's lots in
every store with expiry, in its units, with filters (expired, expiring within N days, below minimum, none)."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select

from ..catalog.models import Product
from ..catalog.search import search_products
from ..clock import local_today
from ..extensions import db
from ..reports.access import report_stores
from ..reports.across import SHOW, in_units, product_across_stores
from ..reports.matrix import stock_matrix
from .category_views import all_categories, chosen_category

bp = Blueprint("across", __name__)

SEARCH_LIMIT = 50


@bp.route("/stock/across")
@login_required
def index():
    stores = report_stores(db.session, current_user)
    q = request.args.get("q", "").strip()[:100]
    show = request.args.get("show", "all")
    show = show if show in SHOW else "all"
    days = min(max(request.args.get("days", 90, type=int) or 90, 1), 3650)
    category_id = chosen_category()
    if q or category_id is not None:
        found = search_products(db.session, q, limit=SEARCH_LIMIT, category_id=category_id) if q else list(
            db.session.execute(select(Product).where(Product.category_id == category_id, Product.active)
                               .order_by(Product.name).limit(SEARCH_LIMIT)).scalars())
        matrix = stock_matrix(db.session, products=found, stores=stores)
    else:
        matrix = None
    product = db.session.get(Product, request.args.get("product_id", 0, type=int) or 0)
    detail = product_across_stores(db.session, product=product, stores=stores, today=local_today(), show=show,
                                   days=days) if product else None
    units = [(unit.name, unit.factor) for unit in product.units] if product else []
    return render_template("stock_across.html", q=q, show=show, days=days, matrix=matrix, product=product,
                           detail=detail, in_units=lambda n: in_units(n, units), today=local_today(),
                           shows=SHOW, categories=all_categories(), category_id=category_id,
                           matrix_query={"format": "xlsx", **({"q": q} if q else {}),
                                         **({"category_id": category_id} if category_id else {})})
