"""Flask-Login's view of a signed-in user: the adapter lives here so the User model knows nothing of it."""
from __future__ import annotations

from ..stores.models import User


class SignedIn:
    """A User as Flask-Login needs it (authenticated, active, an id that changes with the token version);
    every other attribute is the user's own, so pages read `current_user.stores` as before."""

    is_authenticated = True
    is_anonymous = False

    def __init__(self, user: User):
        self.user = user

    @property
    def is_active(self) -> bool:
        return self.user.active

    def get_id(self) -> str:
        return f"{self.user.id}:{self.user.token_version}"

    def __getattr__(self, name: str):
        return getattr(self.user, name)

