"""The declarative base every model subclasses and shared column helpers: SQLAlchemy only, no Flask."""
from __future__ import annotations

from datetime import datetime
from functools import cache

from sqlalchemy import DateTime, MetaData, TypeDecorator, insert, inspect
from sqlalchemy.orm import DeclarativeBase, Session, make_transient_to_detached
from sqlalchemy.orm.attributes import instance_state

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


IN_LIST = 500  # ids per IN (…) list: well inside every driver's parameter limit


def chunks(items: list, size: int = IN_LIST):
    """`items` in slices of at most `size`, for statements that name many ids."""
    for start in range(0, len(items), size):
        yield items[start:start + size]


@cache
def _insert_returning(model: type[Base]):
    """A Core INSERT … RETURNING every column of the model's table, and the attribute each returned column
    fills; built once per model."""
    table, mapper = model.__table__, inspect(model)
    return (insert(table).returning(*table.c),
            [mapper.get_property_by_column(column).key for column in table.c])


def insert_all(session: Session, model: type[Base], rows: list[dict]) -> list:
    """Insert rows in one statement and return their objects, persistent in `session`, in the order of `rows`.

    A Core INSERT … RETURNING (no unit-of-work bookkeeping); each object is made from its returned row and
    attached as loaded, so reading its columns costs nothing. Relationships are left to the caller (set them
    with set_committed_value, or they load lazily). RETURNING's row order is not promised (SQLite), so each
    object is matched to its row by the values given; rows given equal values are interchangeable and get
    their ids in ascending order."""
    if not rows:
        return []
    stmt, keys = _insert_returning(model)
    new_instance = inspect(model).class_manager.new_instance
    objects = []
    for values in session.execute(stmt, rows if len(rows) > 1 else rows[0]):
        obj = new_instance()  # the columns go straight into its state, as a load puts them (no set events)
        instance_state(obj).dict.update(zip(keys, values, strict=True))
        make_transient_to_detached(obj)
        session.add(obj)
        objects.append(obj)
    if len(objects) == 1:
        return objects
    columns = sorted(rows[0])
    waiting: dict[tuple, list] = {}
    for obj in objects:
        waiting.setdefault(tuple(getattr(obj, name) for name in columns), []).append(obj)
    for objs in waiting.values():
        objs.sort(key=lambda obj: obj.id, reverse=True)
    return [waiting[tuple(row[name] for name in columns)].pop() for row in rows]


__all__ = ["Base", "NAMING_CONVENTION", "UTCDateTime", "insert_all", "utcnow"]
