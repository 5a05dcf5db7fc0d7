"""Passwords over the API: change one's own (a new token comes back), and an owner's reset of a pharmacist's."""
from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from ..auth.passwords import change_own_password, reset_password
from ..errors import NotFound, msg
from ..extensions import db
from ..schemas import Base, Text, TokenSchema
from ..stores.models import User
from .auth import actor, signer

blp = Blueprint("passwords", __name__, url_prefix="/api/v1", description="Passwords")


class OwnPasswordSchema(Base):
    current_password = Text(200, required=True)
    new_password = Text(200, required=True)


class ResetPasswordSchema(Base):
    password = Text(200, required=True)


@blp.route("/auth/password")
class OwnPassword(MethodView):
    @blp.arguments(OwnPasswordSchema)
    @blp.response(200, TokenSchema)
    def post(self, data):
        """Change your own password; every earlier token and browser session of yours ends, a new token is returned.

        The only call allowed while an owner's reset requires a new password.
        """
        user = actor()
        change_own_password(db.session, user, **data)
        db.session.commit()
        return {"token": signer().issue(user.id, user.token_version), "token_type": "bearer",
                "expires_in": current_app.config["API_TOKEN_MAX_AGE_SECONDS"]}


@blp.route("/users/<int:user_id>/password")
class UserPassword(MethodView):
    @blp.arguments(ResetPasswordSchema)
    @blp.response(204)
    def post(self, data, user_id):
        """Owner: set a pharmacist's password; they must choose their own at the next sign-in."""
        user = db.session.get(User, user_id)
        if user is None:
            raise NotFound(msg("User #%(id)s not found.", id=user_id), field="user_id")
        reset_password(db.session, actor=actor(), user=user, new_password=data["password"])
        db.session.commit()
        return None
