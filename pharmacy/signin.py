"""The one sign-in step behind the token endpoint and the login page (shared by the API and the pages): throttle,
check, settle.

Three short transactions, so no database lock is held during the ~0.1 s Argon2 check: reserve the attempt (and
read the user), verify outside any transaction, then settle the attempt.
"""
from __future__ import annotations

from flask import after_this_request, current_app, request

from .auth import throttle
from .auth.passwords import BadCredentials, find_user, password_matches
from .auth.throttle import ThrottlePolicy, TooManyAttempts
from .clock import utcnow
from .extensions import db
from .stores.models import User


def policy() -> ThrottlePolicy:
    config = current_app.config
    return ThrottlePolicy(free_attempts=config["LOGIN_MAX_FAILURES"], base_delay_seconds=config["LOGIN_LOCK_SECONDS"],
                          max_delay_seconds=config["LOGIN_MAX_LOCK_SECONDS"])


def _storable(text: str) -> str:
    """Text a database and Argon2 accept: NUL and lone surrogates (valid JSON escapes) become visible escapes."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\x00")


def sign_in(username: str, password: str) -> User:
    """The user, or BadCredentials (401) / TooManyAttempts (429, with Retry-After); the attempt is committed.

    A username or password with NUL or lone surrogates is counted and checked like any other (same time, same
    throttle) and always fails.
    """
    rules = policy()
    typed_oddly = _storable(username) != username or _storable(password) != password
    username, password = _storable(username), _storable(password)
    try:
        attempt = throttle.reserve(db.session, username, request.remote_addr, now=utcnow(), policy=rules)
    except TooManyAttempts as error:
        db.session.rollback()
        seconds = error.retry_after
        after_this_request(lambda response: _retry_after(response, seconds))
        raise
    user = find_user(db.session, username)
    user_id, password_hash = (user.id, user.password_hash) if user is not None else (None, None)
    db.session.commit()
    matches = password_matches(password_hash, password) and not typed_oddly
    if not matches or user_id is None:
        throttle.failed(db.session, attempt, now=utcnow(), policy=rules)
        db.session.commit()
        raise BadCredentials()
    throttle.succeeded(db.session, attempt, now=utcnow())
    db.session.commit()
    return db.session.get(User, user_id)


def _retry_after(response, seconds: int):
    response.headers["Retry-After"] = str(seconds)
    return response
