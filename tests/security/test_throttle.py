"""The throttle's rules with a fixed clock: free attempts, then doubling waits, per (username, address)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from pharmacy.auth import throttle
from pharmacy.auth.throttle import ThrottlePolicy, TooManyAttempts

POLICY = ThrottlePolicy(free_attempts=3, base_delay_seconds=30, max_delay_seconds=100)
T0 = datetime(2026, 11, 25, 8, 0, tzinfo=timezone.utc)


def _fail(session, now, address="10.0.0.9"):
    attempt = throttle.reserve(session, "owner", address, now=now, policy=POLICY)
    throttle.failed(session, attempt, now=now, policy=POLICY)
    session.flush()


def test_waits_double_after_the_free_attempts_and_are_capped(session):
    for _ in range(3):
        _fail(session, T0)
    with pytest.raises(TooManyAttempts) as refused:
        throttle.reserve(session, "owner", "10.0.0.9", now=T0 + timedelta(seconds=29), policy=POLICY)
    assert refused.value.retry_after == 1 and refused.value.status == 429
    _fail(session, T0 + timedelta(seconds=30))                       # 4th: now 60 s
    with pytest.raises(TooManyAttempts):
        throttle.reserve(session, "owner", "10.0.0.9", now=T0 + timedelta(seconds=89), policy=POLICY)
    _fail(session, T0 + timedelta(seconds=90))                       # 5th: 120 s capped to 100 s
    with pytest.raises(TooManyAttempts) as capped:
        throttle.reserve(session, "owner", "10.0.0.9", now=T0 + timedelta(seconds=90), policy=POLICY)
    assert capped.value.retry_after == 100


def test_another_address_is_not_held_and_success_starts_afresh(session):
    for _ in range(3):
        _fail(session, T0)
    attempt = throttle.reserve(session, "owner", "10.0.0.1", now=T0, policy=POLICY)  # the owner's own PC
    throttle.succeeded(session, attempt, now=T0)
    later = T0 + timedelta(seconds=31)
    attempt = throttle.reserve(session, "owner", "10.0.0.9", now=later, policy=POLICY)
    throttle.succeeded(session, attempt, now=later)
    for _ in range(3):  # three free attempts again
        _fail(session, later)


def test_an_attempt_in_flight_past_the_free_ones_closes_the_row(session):
    for _ in range(2):
        _fail(session, T0)
    throttle.reserve(session, "owner", "10.0.0.9", now=T0, policy=POLICY)  # 3rd, password being checked
    with pytest.raises(TooManyAttempts):
        throttle.reserve(session, "owner", "10.0.0.9", now=T0, policy=POLICY)
