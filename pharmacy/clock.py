"""Time helpers: store UTC, show and reason about dates in Asia/Ho_Chi_Minh."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def utcnow() -> datetime:
    """Aware UTC now; column defaults take this callable, never a value computed at import."""
    return datetime.now(timezone.utc)


def as_utc(moment: datetime) -> datetime:
    """Treat naive datetimes read back from SQLite as UTC."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def local_date(moment: datetime) -> date:
    """The pharmacy's calendar date of a UTC moment."""
    return as_utc(moment).astimezone(LOCAL_TZ).date()


def local_today(now: datetime | None = None) -> date:
    return local_date(now or utcnow())


def local_day_bounds(day: date, *, end: bool = False) -> datetime:
    """The moment the pharmacy's calendar day starts (or, with end, the next day starts): filters use [start, end)."""
    return datetime.combine(day + timedelta(days=1) if end else day, time.min, tzinfo=LOCAL_TZ)
