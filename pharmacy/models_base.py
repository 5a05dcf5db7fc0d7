"""The declarative base every model subclasses and shared column helpers: SQLAlchemy only, no Flask."""
from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import NamedTuple

from sqlalchemy import DateTime, Integer, MetaData, TypeDecorator, bindparam, func, insert, inspect, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import DeclarativeBase, Session, make_transient_to_detached
from sqlalchemy.orm.attributes import instance_state

from .clock import as_utc, utcnow
from .database import is_postgresql

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
    objects = [_attached(session, model, zip(keys, values, strict=True))
               for values in session.execute(stmt, rows if len(rows) > 1 else rows[0])]
    if len(objects) == 1:
        return objects
    columns = sorted(rows[0])
    waiting: dict[tuple, list] = {}
    for obj in objects:
        waiting.setdefault(tuple(getattr(obj, name) for name in columns), []).append(obj)
    for objs in waiting.values():
        objs.sort(key=lambda obj: obj.id, reverse=True)
    return [waiting[tuple(row[name] for name in columns)].pop() for row in rows]


def _attached(session: Session, model: type[Base], values) -> Base:
    """An object of `model` holding `values` (attribute, value pairs) as loaded, persistent in `session`: the
    values go straight into its state, as a load puts them (no set events)."""
    obj = inspect(model).class_manager.new_instance()
    instance_state(obj).dict.update(values)
    make_transient_to_detached(obj)
    session.add(obj)
    return obj


class Level(NamedTuple):
    """One table's rows in `insert_family`. Below the first level each row belongs to a row of the level above:
    `parents[i]` is its index there, and `parent_key` the column that names it."""

    model: type[Base]
    rows: list[dict]
    parent_key: str | None = None
    parents: list[int] | None = None


def insert_family(session: Session, levels: list[Level]) -> list[list]:
    """Insert a document's rows table by table, each table's rows naming their parents' new ids, and return each
    level's objects (as `insert_all` makes them) in the order of its rows. Every level has rows.

    PostgreSQL: one statement for all the levels (`_family`), whose RETURNING gives only the ids: the objects are
    made from the values given, a column not given taking its plain default. Elsewhere: `insert_all`, level by
    level."""
    if not is_postgresql(session):
        objects: list[list] = []
        for level in levels:
            if objects:
                for row, parent in zip(level.rows, level.parents, strict=True):
                    row[level.parent_key] = objects[-1][parent].id
            objects.append(insert_all(session, level.model, level.rows))
        return objects
    full = [[_with_defaults(level, row) for row in level.rows] for level in levels]
    shape = tuple((level.model, tuple(sorted(rows[0])), level.parent_key)
                  for level, rows in zip(levels, full, strict=True))
    params = {}
    for index, (level, rows) in enumerate(zip(levels, full, strict=True)):
        params.update({f"l{index}_{name}": [row[name] for row in rows] for name in rows[0]})
        if index:
            params[f"l{index}_parent"] = [parent + 1 for parent in level.parents]  # row_number() counts from 1
    ids = session.execute(_family(shape), params).one()
    objects = []
    for index, (level, rows, level_ids) in enumerate(zip(levels, full, ids, strict=True)):
        objects.append([
            _attached(session, level.model, {**row, "id": id_, **(
                {level.parent_key: objects[-1][level.parents[number]].id} if index else {})})
            for number, (row, id_) in enumerate(zip(rows, sorted(level_ids), strict=True))])
    return objects


def _with_defaults(level: Level, row: dict) -> dict:
    """`row` with every other column of its table but the id and the parent's: its plain default, or NULL."""
    full = dict(row)
    for column in level.model.__table__.c:
        if column.key in full or column.primary_key or column.key == level.parent_key:
            continue
        if column.default is not None and not column.default.is_scalar or column.server_default is not None:
            raise ValueError(f"{level.model.__name__}.{column.key}: give it, its default is not a plain value")
        full[column.key] = None if column.default is None else column.default.arg
    return full


@cache
def _family(shape: tuple):
    """PostgreSQL: the statement of `insert_family` for levels of this shape ((model, columns, parent_key), …).

    Each level is a WITH: an INSERT … SELECT from `unnest` of one array per column (parameters `l<level>_<column>`)
    in the rows' order. PostgreSQL draws a table's ids in the order its INSERT … SELECT … ORDER BY gives the rows
    (SQLAlchemy's own bulk inserts rely on it), so sorted ids match the rows, and a row below finds its parent's id
    as the `row_number()` of the ids above (parameter `l<level>_parent`). One row comes back: each level's ids."""
    inserted = []
    for index, (model, columns, parent_key) in enumerate(shape):
        table = model.__table__
        arrays = [bindparam(f"l{index}_{name}", type_=ARRAY(table.c[name].type)) for name in columns]
        names = list(columns)
        if index:
            arrays.append(bindparam(f"l{index}_parent", type_=ARRAY(Integer)))
        given = func.unnest(*arrays).table_valued(*names, *(["parent"] if index else []),
                                                  with_ordinality="position").render_derived()
        rows = select(*(given.c[name] for name in names))
        if index:
            above = inserted[-1]
            numbered = select(above.c.id, func.row_number().over(order_by=above.c.id).label("n")).subquery()
            rows = rows.add_columns(numbered.c.id).join_from(given, numbered, numbered.c.n == given.c.parent)
            names.append(parent_key)
        inserted.append(insert(table).from_select(names, rows.order_by(given.c.position))
                        .returning(table.c.id).cte(f"l{index}"))
    return select(*(select(func.array_agg(level.c.id)).scalar_subquery() for level in inserted))


__all__ = ["Base", "Level", "NAMING_CONVENTION", "UTCDateTime", "insert_all", "insert_family", "utcnow"]
