"""Who is calling: Bearer tokens for API clients, the session cookie (+ CSRF) for our own pages."""
from __future__ import annotations

from flask import current_app, g, request
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from ..errors import DomainError, Forbidden, msg
from ..extensions import csrf, db
from ..schemas import TokenRequestSchema, TokenSchema
from ..signin import sign_in
from ..stores.models import User

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="API tokens")

PUBLIC_ENDPOINTS = {"auth.Token", "payments.BankNotifications"}  # the bank feed checks its own key
PASSWORD_CHANGE_ENDPOINTS = {"passwords.OwnPassword"}  # the one call allowed while a reset password must change
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class Unauthorized(DomainError):
    status = 401


def signer():
    return current_app.extensions["pharmacy.token_signer"]


ONE_QUERY = [joinedload(User.stores)]  # every API call: the user and their stores in one statement, not two
# Built once: Session.get would build this query and its cache key (the joinedload's is costly) on every call.
_CALLER = select(User).options(*ONE_QUERY).where(User.id == bindparam("id"))


def user_from_token(token: str) -> User | None:
    claims = signer().read(token)
    if claims is None:
        return None
    user = db.session.execute(_CALLER, {"id": claims[0]}).unique().scalar_one_or_none()
    if user is None or not user.active or user.token_version != claims[1]:
        return None
    return user


def load_api_actor() -> None:
    """before_request for /api/v1: set g.actor or answer 401 (CSRF for cookie-authenticated writes)."""
    if not request.path.startswith("/api/v1") or request.endpoint in PUBLIC_ENDPOINTS:
        return
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = user_from_token(header[7:].strip())
        if user is None:
            raise Unauthorized(msg("The token is invalid or has expired."), field="Authorization")
        g.actor = user
        return _require_own_password(user)
    if current_user.is_authenticated:
        if request.method not in SAFE_METHODS:
            csrf.protect()
        g.actor = current_user.user  # the User behind the pages' Flask-Login adapter (web/login.py)
        return _require_own_password(g.actor)
    raise Unauthorized(msg("Sign in first (Authorization: Bearer <token>)."), field="Authorization")


def _require_own_password(user: User) -> None:
    if user.must_change_password and request.endpoint not in PASSWORD_CHANGE_ENDPOINTS:
        raise Forbidden(msg("The password was reset: change it first (POST /api/v1/auth/password)."),
                        field="password")


def actor() -> User:
    return g.actor


@blp.route("/token")
class Token(MethodView):
    @blp.arguments(TokenRequestSchema)
    @blp.response(200, TokenSchema)
    def post(self, data):
        """Exchange username and password for a Bearer token."""
        user = sign_in(data["username"], data["password"])
        return {"token": signer().issue(user.id, user.token_version), "token_type": "bearer",
                "expires_in": current_app.config["API_TOKEN_MAX_AGE_SECONDS"]}
