"""Checking a password without telling whether the user exists; changing one's own, and an owner's reset."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import Conflict, DomainError, Forbidden, Invalid, msg
from ..security import hash_password, verify_against_dummy, verify_password
from ..stores.models import User
from ..stores.services import create_user
from .sessions import close_all_sessions

MIN_LENGTH, MAX_LENGTH = 8, 128


class BadCredentials(DomainError):
    status = 401

    def __init__(self):
        super().__init__(msg("Wrong user name or password."), field="password")


def find_user(session: Session, username: str) -> User | None:
    """The active user of that name (None for unknown or inactive ones)."""
    user = session.execute(select(User).where(User.username == username)).scalars().first()
    return user if user is not None and user.active else None


def password_matches(password_hash: str | None, password: str) -> bool:
    """One Argon2 check in every case: without a user, against a dummy hash (no timing tells who exists)."""
    if password_hash is None:
        return verify_against_dummy(password)
    return verify_password(password_hash, password)


def _unstorable(text: str) -> bool:
    """NUL, other control characters, or lone surrogates: no database or hash takes them as typed."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return any(ord(ch) < 32 or ord(ch) == 127 for ch in text)


def validate_new_password(password: str, *, field: str = "new_password") -> None:
    if _unstorable(password):
        raise Invalid(msg("The password contains characters that are not allowed."), field=field)
    if len(password) < MIN_LENGTH:
        raise Invalid(msg("A password needs at least %(length)s characters.", length=MIN_LENGTH), field=field)
    if len(password) > MAX_LENGTH:
        raise Invalid(msg("A password has at most %(length)s characters.", length=MAX_LENGTH), field=field)


def _set_password(session: Session, user: User, password: str, *, must_change: bool) -> None:
    user.password_hash = hash_password(password)
    user.must_change_password = must_change
    user.token_version += 1  # API tokens and session cookies issued before are void
    close_all_sessions(session, user.id)
    session.flush()


def change_own_password(session: Session, user: User, *, current_password: str, new_password: str) -> None:
    """A user changes their password; every session and token of theirs ends (the caller signs this one in again)."""
    if not verify_password(user.password_hash, current_password):
        raise Invalid(msg("The current password is wrong."), field="current_password")
    validate_new_password(new_password)
    if new_password == current_password:
        raise Invalid(msg("The new password must differ from the current one."), field="new_password")
    _set_password(session, user, new_password, must_change=False)


def reset_password(session: Session, *, actor: User, user: User, new_password: str) -> None:
    """An owner sets a pharmacist's password; the pharmacist must choose their own at the next sign-in."""
    if not actor.is_owner:
        raise Forbidden(msg("Only the pharmacy owner may reset passwords."))
    if user.is_owner:
        raise Forbidden(msg("The pharmacy owner changes their own password themselves."), field="user_id")
    validate_new_password(new_password, field="password")
    _set_password(session, user, new_password, must_change=True)


def set_password_from_console(session: Session, *, username: str, new_password: str) -> User:
    """`flask users password NAME`: whoever runs commands on the server may set any password (a forgotten owner's)."""
    user = session.execute(select(User).where(User.username == username)).scalars().first()
    if user is None:
        raise Invalid(msg("There is no user %(username)s.", username=username), field="username")
    validate_new_password(new_password, field="password")
    _set_password(session, user, new_password, must_change=False)
    return user


def create_first_owner(session: Session, *, username: str, password: str, full_name: str = "") -> User:
    """The setup page's one job: the first owner of an install with no user at all."""
    if session.execute(select(func.count(User.id))).scalar():
        raise Conflict(msg("There are users already: sign in."), field="username")
    validate_new_password(password, field="password")
    if not username or _unstorable(username) or any(ch.isspace() for ch in username) or len(username) > 50:
        raise Invalid(msg("A user name has 1–50 characters, without spaces."), field="username")
    return create_user(session, username=username, password=password, role="owner", full_name=full_name)
