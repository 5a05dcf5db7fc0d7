"""Product categories (nhóm hàng) page: the owner creates, renames and removes them; and the category filter every
list and report page shows."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..catalog.categories import (
    categories_query,
    create_category,
    delete_category,
    get_category,
    product_counts,
    rename_category,
)
from ..catalog.models import Category
from ..errors import DomainError
from ..extensions import db
from ..presenters.messages import error_text

bp = Blueprint("categories_web", __name__)


def all_categories() -> list[Category]:
    """Every category by name, for the filters' select (a chain has tens of them)."""
    return list(db.session.execute(categories_query()).scalars())


def chosen_category() -> int | None:
    """The category_id query argument when it names a category, else None (every category)."""
    wanted = request.args.get("category_id", type=int)
    return wanted if wanted and db.session.get(Category, wanted) is not None else None


def _page(errors: dict | None = None, status: int = 200, **values):
    categories = all_categories()
    return render_template("categories.html", categories=categories, errors=errors or {},
                           counts=product_counts(db.session, [c.id for c in categories]), **values), status


@bp.route("/categories", methods=["GET", "POST"])
@login_required
def index():
    if not current_user.is_owner:
        abort(403)
    if request.method == "GET":
        return _page()
    try:
        category = create_category(db.session, request.form.get("name", ""))
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        return _page({"new": error_text(exc)}, 422, name=request.form.get("name", ""))
    flash(_("Category %(name)s was created.", name=category.name))
    return redirect(url_for("categories_web.index"))


@bp.route("/categories/<int:category_id>", methods=["POST"])
@login_required
def change(category_id: int):
    if not current_user.is_owner:
        abort(403)
    try:
        category = get_category(db.session, category_id)
    except DomainError:
        abort(404)
    try:
        if request.form.get("action") == "delete":
            name = category.name
            delete_category(db.session, category)
            message = _("Category %(name)s was removed; its products have no category now.", name=name)
        else:
            rename_category(db.session, category, request.form.get("name", ""))
            message = _("Category renamed to %(name)s.", name=category.name)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        return _page({category_id: error_text(exc)}, 422)
    flash(message)
    return redirect(url_for("categories_web.index"))
