"""Login, logout, the home page, and switching store and language."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_required, login_user, logout_user

from ..clock import utcnow
from ..errors import Forbidden
from ..extensions import db
from ..stores.services import authenticate
from .context import my_stores

bp = Blueprint("web", __name__)


@bp.route("/")
@login_required
def index():
    return render_template("home.html")


@bp.route("/login", methods=["GET", "POST"])
def login():
    error = None
    if request.method == "POST":
        config = current_app.config
        try:
            user = authenticate(
                db.session, request.form.get("username", "").strip(), request.form.get("password", ""),
                now=utcnow(), max_failures=config["LOGIN_MAX_FAILURES"], lock_seconds=config["LOGIN_LOCK_SECONDS"],
            )
        except Forbidden as exc:
            user, error = None, exc.message
        db.session.commit()
        if user is not None:
            login_user(user)
            target = request.args.get("next", "")
            return redirect(target if target.startswith("/") and not target.startswith("//") else url_for("web.index"))
        error = error or _("Wrong username or password.")
    return render_template("login.html", error=error), 401 if error else 200


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    flash(_("You have been signed out."))
    return redirect(url_for("web.login"))


LOCALES = ("vi", "en")


def _back(default: str = "web.index"):
    target = request.form.get("next") or request.referrer or ""
    same_site = target.startswith(request.host_url) or (target.startswith("/") and not target.startswith("//"))
    return redirect(target if same_site else url_for(default))


@bp.route("/store", methods=["POST"])
@login_required
def choose_store():
    store_id = request.form.get("store_id", type=int)
    if store_id not in {store.id for store in my_stores()}:
        abort(403)
    session["store_id"] = store_id
    return _back()


@bp.route("/language", methods=["POST"])
def choose_language():
    locale = request.form.get("locale", "")
    if locale not in LOCALES:
        abort(400)
    session["locale"] = locale
    return _back()
