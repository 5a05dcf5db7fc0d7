"""Report periods: local (Asia/Ho_Chi_Minh) calendar days turned into UTC bounds, and a local-day SQL expression."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import Date
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from ..clock import LOCAL_TZ
from ..errors import Invalid, msg

MAX_DAYS = 3 * 366


def local_midnight_utc(day: date) -> datetime:
    return datetime.combine(day, time(0), LOCAL_TZ).astimezone(timezone.utc)


@dataclass(frozen=True)
class Period:
    """Local days date_from..date_to, both included."""

    date_from: date
    date_to: date

    @classmethod
    def of(cls, date_from: date, date_to: date) -> Period:
        if date_to < date_from:
            raise Invalid(msg("The end date is before the start date."), field="date_to")
        if (date_to - date_from).days >= MAX_DAYS:
            raise Invalid(msg("A period is at most %(days)s days.", days=MAX_DAYS), field="date_to")
        return cls(date_from, date_to)

    @property
    def start(self) -> datetime:
        """The first UTC moment of the period."""
        return local_midnight_utc(self.date_from)

    @property
    def end(self) -> datetime:
        """The first UTC moment after the period."""
        return local_midnight_utc(self.date_to + timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1


class local_day(FunctionElement):  # noqa: N801 - reads as a SQL function
    """The Asia/Ho_Chi_Minh calendar day of a UTC timestamp column, computed by the database."""

    type = Date()
    inherit_cache = True


@compiles(local_day, "postgresql")
def _local_day_postgresql(element, compiler, **kw):
    return "CAST((%s AT TIME ZONE 'Asia/Ho_Chi_Minh') AS DATE)" % compiler.process(element.clauses, **kw)


@compiles(local_day)
def _local_day_sqlite(element, compiler, **kw):
    # Viet Nam has kept UTC+7 without daylight saving since 1975; SQLite stores naive UTC text.
    return "date(%s, '+7 hours')" % compiler.process(element.clauses, **kw)


def as_date(value) -> date:
    """SQLite hands back the day as text, PostgreSQL as a date."""
    return date.fromisoformat(value) if isinstance(value, str) else value


PRESETS = ("today", "7d", "30d", "month", "custom")


def preset_period(choice: str, today: date, date_from: date | None = None, date_to: date | None = None) -> Period:
    """The dashboard's period choices: today, the last 7 or 30 days (today included), this month, or custom."""
    if choice == "today":
        return Period(today, today)
    if choice == "7d":
        return Period(today - timedelta(days=6), today)
    if choice == "30d":
        return Period(today - timedelta(days=29), today)
    if choice == "month":
        return Period(today.replace(day=1), today)
    if choice == "custom":
        if date_from is None:
            raise Invalid(msg("Choose the start date."), field="date_from")
        if date_to is None:
            raise Invalid(msg("Choose the end date."), field="date_to")
        return Period.of(date_from, date_to)
    raise Invalid(msg("The period must be one of: %(choices)s.", choices=", ".join(PRESETS)), field="period")
