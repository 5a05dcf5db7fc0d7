"""Server-side login sessions: the browser cookie names a row here; logout or a password change deletes it."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from .models import LoginSession


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(session: Session, user_id: int, *, now: datetime, lifetime_seconds: int) -> str:
    """A new session for a user who just signed in; returns the token to keep in the (signed) cookie."""
    token = secrets.token_urlsafe(32)
    session.add(LoginSession(id=_digest(token), user_id=user_id, created_at=now,
                             expires_at=now + timedelta(seconds=lifetime_seconds)))
    session.execute(delete(LoginSession).where(LoginSession.expires_at < now)
                    .execution_options(synchronize_session=False))
    session.flush()
    return token


def is_live(session: Session, user_id: int, token: str | None, *, now: datetime) -> bool:
    if not token:
        return False
    expires_at = session.execute(select(LoginSession.expires_at).where(
        LoginSession.id == _digest(token), LoginSession.user_id == user_id)).scalar()
    return expires_at is not None and expires_at > now


def close_session(session: Session, token: str | None) -> None:
    if token:
        session.execute(delete(LoginSession).where(LoginSession.id == _digest(token))
                        .execution_options(synchronize_session=False))


def close_all_sessions(session: Session, user_id: int) -> None:
    """Every browser of this user is signed out (a password change or reset)."""
    session.execute(delete(LoginSession).where(LoginSession.user_id == user_id)
                    .execution_options(synchronize_session=False))
