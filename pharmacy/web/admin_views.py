"""The owner's management pages: staff (create, role, stores, licence, active, reset a password) and stores
(national facility code, API and write-only credentials, whether pharmacists see cost)."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..clock import utcnow
from ..einvoices.presets import DEFAULT_RULES, PROVIDERS, presets
from ..errors import DomainError, Invalid
from ..extensions import db
from ..presenters.messages import form_errors
from ..stores.models import NATIONAL_APIS, ROLES, Store, User
from ..stores.services import create_user, save_store, update_user

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


def _errors(exc: DomainError) -> dict:
    return form_errors(exc)


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
                     errors=_errors(exc))
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
                     errors=_errors(exc))
    flash(_("User %(name)s was saved.", name=found.username))
    return redirect(url_for("admin.users"))


EINVOICE_TEXT = {"seller_tax_code": 14, "einvoice_template": 2, "einvoice_symbol": 6, "einvoice_authority_code": 5,
                 "einvoice_username": 100}
STORE_TEXT = {"code": 20, "name": 200, "address": 500, "phone": 30, "national_facility_code": 50,
              "national_username": 50, "bank_bin": 6, "bank_account": 19, "bank_account_name": 100}


def _store_values() -> dict:
    form = request.form
    values = {key: form.get(key, "").strip()[:length] for key, length in STORE_TEXT.items()}
    values["national_api"] = form.get("national_api", "legacy")
    values["pharmacists_see_cost"] = form.get("pharmacists_see_cost") == "on"
    values["require_shift"] = form.get("require_shift") == "on"
    ceiling = form.get("pharmacist_max_discount_percent", "0").strip() or "0"
    values["pharmacist_max_discount_percent"] = int(ceiling) if ceiling.isdigit() and len(ceiling) <= 3 else -1
    if form.get("national_password"):
        values["national_password"] = form["national_password"][:30]
    values.update({key: form.get(key, "").strip()[:length] for key, length in EINVOICE_TEXT.items()})
    values["einvoice_provider"] = form.get("einvoice_provider") or None
    values["einvoice_rules"] = form.get("einvoice_rules") or DEFAULT_RULES
    if form.get("einvoice_password"):
        values["einvoice_password"] = form["einvoice_password"][:100]
    return values


def _check_store(values: dict) -> None:
    if not values["code"] or not values["code"].replace("-", "").replace("_", "").isalnum():
        raise Invalid(_("Store code: letters, digits, - and _ only."), field="code")
    if not values["name"]:
        raise Invalid(_("A store needs a name."), field="name")
    if values["national_api"] not in NATIONAL_APIS:
        raise Invalid(_("Choose legacy or v2."), field="national_api")
    if not 0 <= values["pharmacist_max_discount_percent"] <= 100:
        raise Invalid(_("A whole number from 0 to 100."), field="pharmacist_max_discount_percent")


@bp.route("/stores", methods=["GET", "POST"])
@bp.route("/stores/<int:store_id>", methods=["GET", "POST"])
@login_required
def stores(store_id: int | None = None):
    _owner_only()
    store = (db.session.get(Store, store_id) or abort(404)) if store_id else None
    if request.method == "GET":
        return _page("admin/stores.html", store=store, apis=NATIONAL_APIS, providers=PROVIDERS, presets=presets())
    values = _store_values()
    try:
        _check_store(values)
        saved = save_store(db.session, values, current_app.extensions["pharmacy.vault"](), store, now=utcnow())
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        return _page("admin/stores.html", store=store, apis=NATIONAL_APIS, providers=PROVIDERS, presets=presets(),
                     errors=_errors(exc), status=422)
    flash(_("Store %(code)s was saved.", code=saved.code))
    return redirect(url_for("admin.stores"))
