"""Sign-in throttling per (username, client address): reserve an attempt atomically, then settle it.

An attempt is counted *before* the password is checked, in one conditional UPDATE, so simultaneous guesses cannot
all slip through: once `free_attempts` are taken the row is closed (locked_until set) until the attempts settle.
After that each further failure doubles the wait (progressive delay, capped). Only the address that failed waits:
nobody elsewhere on the network can lock the owner out.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, delete, literal, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..errors import DomainError, msg
from ..models_base import UTCDateTime
from .models import LoginThrottle

IN_FLIGHT_SECONDS = 60  # how long a reserved attempt past the free ones keeps the row closed if its process dies
STALE_AFTER = timedelta(days=1)


class TooManyAttempts(DomainError):
    """Sign-in refused without checking the password; `retry_after` seconds until the next try is allowed."""

    status = 429

    def __init__(self, retry_after: int):
        minutes = max(1, (retry_after + 59) // 60)
        super().__init__(msg("Too many failed sign-ins from this computer. Please try again in %(minutes)s minutes.",
                             minutes=minutes),
                         field="password")
        self.retry_after = retry_after


@dataclass(frozen=True)
class ThrottlePolicy:
    free_attempts: int = 5
    base_delay_seconds: int = 30
    max_delay_seconds: int = 900

    def delay(self, failures: int) -> int:
        """The wait after `failures` consecutive failures: none before the free ones run out, then doubling."""
        if failures < self.free_attempts:
            return 0
        return min(self.max_delay_seconds, self.base_delay_seconds * 2 ** min(failures - self.free_attempts, 20))


@dataclass(frozen=True)
class Attempt:
    username: str
    address: str


def _key(username: str, address: str | None) -> Attempt:
    return Attempt(username[:100], (address or "unknown")[:64])


def _insert(session: Session):
    return (postgresql if session.get_bind().dialect.name == "postgresql" else sqlite).insert(LoginThrottle)


def reserve(session: Session, username: str, address: str | None, *, now: datetime,
            policy: ThrottlePolicy) -> Attempt:
    """Count one attempt, or raise TooManyAttempts when this address must wait; check and count are one UPDATE."""
    key = _key(username, address)
    session.execute(_insert(session).values(username=key.username, address=key.address, failures=0,
                                            updated_at=now).on_conflict_do_nothing())
    closing = LoginThrottle.failures + 1 >= policy.free_attempts
    row = session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.username == key.username, LoginThrottle.address == key.address,
               or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until <= now))
        .values(failures=LoginThrottle.failures + 1, updated_at=now,
                locked_until=_case(closing, now + timedelta(seconds=IN_FLIGHT_SECONDS)))
        .returning(LoginThrottle.failures)
        .execution_options(synchronize_session=False)
    ).first()
    if row is None:
        locked_until = session.execute(select(LoginThrottle.locked_until).where(
            LoginThrottle.username == key.username, LoginThrottle.address == key.address)).scalar_one()
        raise TooManyAttempts(max(1, int((locked_until - now).total_seconds() + 0.999)))
    return key


def _case(condition, until: datetime):
    return case((condition, literal(until, UTCDateTime())), else_=LoginThrottle.locked_until)


def failed(session: Session, attempt: Attempt, *, now: datetime, policy: ThrottlePolicy) -> None:
    """The password was wrong: the attempt stays counted; past the free ones the address waits, doubling."""
    failures = session.execute(select(LoginThrottle.failures).where(
        LoginThrottle.username == attempt.username, LoginThrottle.address == attempt.address)).scalar()
    if failures is None or failures < policy.free_attempts:
        return
    session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.username == attempt.username, LoginThrottle.address == attempt.address)
        .values(locked_until=now + timedelta(seconds=policy.delay(failures)), updated_at=now)
        .execution_options(synchronize_session=False))


def succeeded(session: Session, attempt: Attempt, *, now: datetime) -> None:
    """The password was right: this address starts afresh; day-old rows of anyone are forgotten."""
    mine = and_(LoginThrottle.username == attempt.username, LoginThrottle.address == attempt.address)
    session.execute(delete(LoginThrottle).where(or_(mine, LoginThrottle.updated_at < now - STALE_AFTER))
                    .execution_options(synchronize_session=False))
