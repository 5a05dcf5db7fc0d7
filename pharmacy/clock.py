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


# Dates people may ask about: wide enough for any pharmacy record, narrow enough that day arithmetic and every
# database driver stay in range (9999-12-31 + 1 day overflows; year 1 underflows some drivers).
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)


def local_day_bounds(day: date, *, end: bool = False) -> datetime:
    """The UTC-comparable start of a local day (of the next day with `end=True`, for `< end` filters)."""
    return datetime.combine(day + timedelta(days=1) if end else day, time.min, tzinfo=LOCAL_TZ)


def checked_day(day: date | None, *, field: str) -> date | None:
    """A filter date inside [FIRST_DAY, LAST_DAY], else a 422 naming the field."""
    from .errors import Invalid, msg

    if day is not None and not FIRST_DAY <= day <= LAST_DAY:
        raise Invalid(msg("The date must be from %(first)s to %(last)s.", first=f"{FIRST_DAY:%d/%m/%Y}",
                          last=f"{LAST_DAY:%d/%m/%Y}"), field=field)
    return day
