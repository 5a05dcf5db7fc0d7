"""Account pages: the first owner's setup, changing one's own password, an owner resetting a pharmacist's."""
from __future__ import annotations

import hmac

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user
from sqlalchemy import func, select

from ..auth import sessions as login_sessions
from ..auth.passwords import change_own_password, create_first_owner, reset_password
from ..clock import utcnow
from ..demo import is_loopback
from ..errors import DomainError, Forbidden, Invalid
from ..extensions import db
from ..presenters.messages import error_text, error_texts
from ..stores.models import User
from .login import SignedIn

bp = Blueprint("account", __name__)
OPEN_WHILE_CHANGE_DUE = {"account.password", "web.logout", "web.choose_language", "static"}


def no_user_yet() -> bool:
    return not db.session.execute(select(func.count(User.id))).scalar()


def start_session(user: User) -> None:
    """Tie the cookie to a new server-side session row (a new random id at every sign-in); logout deletes it."""
    session["sid"] = login_sessions.open_session(db.session, user.id, now=utcnow(),
                                                 lifetime_seconds=int(current_app.permanent_session_lifetime
                                                                      .total_seconds()))
    db.session.commit()
    login_user(SignedIn(user))


def session_is_live(user: User) -> bool:
    """Checked on every request that loads the signed-in user from the cookie."""
    return login_sessions.is_live(db.session, user.id, session.get("sid"), now=utcnow())


@bp.before_app_request
def _password_change_first():
    if request.path.startswith("/api/") or request.endpoint in OPEN_WHILE_CHANGE_DUE:
        return None
    if current_user.is_authenticated and current_user.must_change_password:
        return redirect(url_for("account.password"))
    return None


def _form_error(template: str, error: DomainError, **context):
    db.session.rollback()
    return render_template(template, message=error_text(error), errors=error_texts(error), form=request.form,
                           **context), error.status


def _needs_code() -> bool:
    """Setting up from this computer needs nothing more; from elsewhere, the code `python app.py` printed."""
    return not is_loopback(request.remote_addr or "")


def _check_code(given: str) -> None:
    expected = current_app.config.get("SETUP_CODE")
    if not expected:
        raise Forbidden(_("Set up from the server itself, or run: flask --app app users create."), field="setup_code")
    if not hmac.compare_digest(given.strip().encode(), expected.encode()):
        raise Invalid(_("Wrong setup code: it is printed in the server's console."), field="setup_code")


@bp.route("/setup", methods=["GET", "POST"])
def setup():
    """Only while the database has no user: the first owner chooses a username and password."""
    if not no_user_yet():
        return redirect(url_for("web.login"))
    if request.method == "POST":
        form = request.form
        try:
            if _needs_code():
                _check_code(form.get("setup_code", ""))
            _same(form.get("password", ""), form.get("confirm_password", ""))
            user = create_first_owner(db.session, username=form.get("username", "").strip()[:50],
                                      password=form.get("password", ""), full_name=form.get("full_name", "")[:200])
            db.session.commit()
        except DomainError as error:
            return _form_error("account/setup.html", error, needs_code=_needs_code())
        start_session(user)
        return redirect(url_for("web.index"))
    return render_template("account/setup.html", message=None, errors={}, form={}, needs_code=_needs_code())


def _same(password: str, confirmation: str, field: str = "confirm_password") -> None:
    if password != confirmation:
        raise Invalid(_("The two passwords differ."), field=field)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    if request.method == "POST":
        form = request.form
        try:
            _same(form.get("new_password", ""), form.get("confirm_password", ""))
            change_own_password(db.session, current_user.user, current_password=form.get("current_password", ""),
                                new_password=form.get("new_password", ""))
            db.session.commit()
        except DomainError as error:
            return _form_error("account/password.html", error)
        start_session(db.session.get(User, current_user.id))
        flash(_("Your password has been changed. Other computers signed in as you have been signed out."))
        return redirect(url_for("web.index"))
    return render_template("account/password.html", message=None, errors={}, form={})


@bp.route("/account/staff", methods=["GET"])
@login_required
def staff():
    if not current_user.is_owner:
        abort(403)
    users = db.session.execute(select(User).order_by(User.username)).scalars().all()
    return render_template("account/staff.html", users=users, message=None, errors={}, form={})


@bp.route("/account/staff/<int:user_id>/password", methods=["POST"])
@login_required
def reset(user_id: int):
    if not current_user.is_owner:
        abort(403)
    user = db.session.get(User, user_id) or abort(404)
    try:
        reset_password(db.session, actor=current_user.user, user=user, new_password=request.form.get("password", ""))
        db.session.commit()
    except DomainError as error:
        users = db.session.execute(select(User).order_by(User.username)).scalars().all()
        return _form_error("account/staff.html", error, users=users, target=user_id)
    flash(_("New password set for %(name)s: they must choose their own at the next sign-in.", name=user.username))
    return redirect(url_for("account.staff"))
