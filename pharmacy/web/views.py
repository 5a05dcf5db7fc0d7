"""Login, logout, the home page, and switching store and language."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from ..auth.passwords import BadCredentials
from ..auth.sessions import close_session
from ..auth.throttle import TooManyAttempts
from ..extensions import db
from ..signin import sign_in
from . import owner_views
from .account import no_user_yet, start_session
from .context import my_stores
from .redirects import safe_next

bp = Blueprint("web", __name__)


@bp.route("/")
@login_required
def index():
    """The owner's home is the dashboard across stores; a pharmacist's is the page of links to their work."""
    if current_user.is_owner:
        return owner_views.dashboard()
    return render_template("home.html")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if no_user_yet():
        return redirect(url_for("account.setup"))
    error, status = None, 200
    if request.method == "POST":
        try:
            user = sign_in(request.form.get("username", "").strip()[:100], request.form.get("password", "")[:200])
        except TooManyAttempts as exc:
            error, status = _("Too many failed sign-ins from this computer. Try again in %(minutes)s minutes.",
                              minutes=max(1, (exc.retry_after + 59) // 60)), 429
        except BadCredentials:
            error, status = _("Wrong username or password."), 401
        else:
            start_session(user)
            return redirect(safe_next(request.args.get("next")) or url_for("web.index"))
    return render_template("login.html", error=error), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    close_session(db.session, session.get("sid"))
    db.session.commit()
    logout_user()
    session.pop("sid", None)
    flash(_("You have been signed out."))
    return redirect(url_for("web.login"))


LOCALES = ("vi", "en")


def _back(default: str = "web.index"):
    target = request.form.get("next") or request.referrer or ""
    if target.startswith(request.host_url):
        target = "/" + target[len(request.host_url):]
    return redirect(safe_next(target) or url_for(default))


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
