"""Staff management for the owner: list, create, edit (role, stores, licence, active) and reset a password."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..errors import DomainError
from ..extensions import db
from ..stores.models import ROLES, Store, User
from ..stores.services import create_user, update_user

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _owner_only() -> None:
    if not current_user.is_owner:
        abort(403)


def _form_values() -> dict:
    form = request.form
    return {
        "full_name": form.get("full_name", "").strip()[:200], "role": form.get("role", ""),
        "store_ids": [int(v) for v in form.getlist("store_ids") if v.isdigit()],
        "licensed_pharmacist": form.get("licensed_pharmacist") == "on", "password": form.get("password", ""),
    }


def _page(template: str, *, errors: dict | None = None, status: int = 200, **values):
    stores = list(db.session.execute(db.select(Store).order_by(Store.code)).scalars())
    return render_template(template, stores=stores, roles=ROLES, errors=errors or {}, **values), status


@bp.route("/users", methods=["GET", "POST"])
@login_required
def users():
    _owner_only()
    everyone = list(db.session.execute(db.select(User).order_by(User.username)).scalars())
    if request.method == "GET":
        return _page("admin/users.html", users=everyone, values={"role": "pharmacist"})
    values = {**_form_values(), "username": request.form.get("username", "").strip()[:50]}
    try:
        user = create_user(db.session, **values)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        return _page("admin/users.html", users=everyone, values=values, status=422,
                     errors={key: " ".join(messages) for key, messages in exc.errors.items()} or {"": exc.message})
    flash(_("User %(name)s was created.", name=user.username))
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@login_required
def user(user_id: int):
    _owner_only()
    found = db.session.get(User, user_id) or abort(404)
    if request.method == "GET":
        return _page("admin/user_form.html", user=found)
    values = _form_values()
    values["active"] = request.form.get("active") == "on"
    if not values["password"]:
        values.pop("password")
    try:
        update_user(db.session, found, values, actor=current_user)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        return _page("admin/user_form.html", user=db.session.get(User, user_id), status=422,
                     errors={key: " ".join(messages) for key, messages in exc.errors.items()} or {"": exc.message})
    flash(_("User %(name)s was saved.", name=found.username))
    return redirect(url_for("admin.users"))
