"""The declarative base every model subclasses and shared column helpers: SQLAlchemy only, no Flask."""
from __future__ import annotations

from datetime import datetime
from functools import cache

from sqlalchemy import DateTime, MetaData, TypeDecorator, insert
from sqlalchemy.orm import DeclarativeBase, Session, lazyload

from .clock import as_utc, utcnow

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Models subclass this; Flask-SQLAlchemy's `db` is built on the same metadata (extensions.py)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator):
    """Timestamps stored in UTC and always read back timezone-aware (SQLite drops the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        return None if value is None else as_utc(value)

    def process_result_value(self, value: datetime | None, dialect):
        return None if value is None else as_utc(value)


@cache
def _insert_returning(model: type[Base]):
    """INSERT … RETURNING the model, built once per model; new rows have no relationship to load yet."""
    return insert(model).returning(model).options(lazyload("*"))


def insert_all(session: Session, model: type[Base], rows: list[dict]) -> list:
    """Insert rows in one statement and return their objects in the order of `rows`.

    The objects come back by RETURNING, whose row order SQLite does not promise, so each is matched to its row
    by the values given; rows given equal values are interchangeable and get their ids in ascending order."""
    if not rows:
        return []
    columns = sorted(rows[0])
    waiting: dict[tuple, list] = {}
    stmt = _insert_returning(model)
    if len(rows) == 1:
        return [session.scalars(stmt, rows[0]).one()]
    for obj in session.scalars(stmt, rows).all():
        waiting.setdefault(tuple(getattr(obj, name) for name in columns), []).append(obj)
    for objs in waiting.values():
        objs.sort(key=lambda obj: obj.id, reverse=True)
    return [waiting[tuple(row[name] for name in columns)].pop() for row in rows]


__all__ = ["Base", "NAMING_CONVENTION", "UTCDateTime", "insert_all", "utcnow"]
