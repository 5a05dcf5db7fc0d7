"""Customers' pages: the list (search by name or phone) and one customer with purchase history and total spent."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required

from ..customers.services import get_customer, purchases, search_customers, total_spent
from ..errors import DomainError
from ..extensions import db
from ..stores.services import accessible_store_ids

bp = Blueprint("customers_web", __name__)
PAGE_ROWS = 200


@bp.route("/customers")
@login_required
def index():
    q = (request.args.get("q") or "").strip()[:100]
    found = db.session.execute(search_customers(q or None).limit(PAGE_ROWS)).scalars().all()
    return render_template("customers.html", customers=found, q=q, limit=PAGE_ROWS)


@bp.route("/customers/<int:customer_id>")
@login_required
def detail(customer_id: int):
    try:
        customer = get_customer(db.session, customer_id)
    except DomainError:
        abort(404)
    store_ids = accessible_store_ids(current_user.user)
    sales = db.session.execute(purchases(customer, store_ids).limit(PAGE_ROWS)).scalars().all()
    return render_template("customer.html", customer=customer, sales=sales, limit=PAGE_ROWS,
                           spent=total_spent(db.session, customer, store_ids))
