"""Gap-free document numbers per store and series, taken inside the document's own transaction.

The counter row stays locked until commit: every other document of the store and series waits for it. A document
written in several statements (a sale: lines, allocations, lots) is inserted under a provisional number and takes
its real one last (`number_document`), so that wait covers only the document's final writes and the commit."""
from __future__ import annotations

from functools import lru_cache
from uuid import uuid4

from sqlalchemy import CTE, ForeignKey, Integer, String, Table, TextClause, bindparam, column, select, text, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from .models_base import Base

SERIES = {"sale": "HD", "receipt": "PN", "issue": "PX", "void": "HUY", "return": "TH", "prescription": "DT",
          "transfer": "CK", "count": "KK"}


class DocumentCounter(Base):
    __tablename__ = "document_counters"

    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), primary_key=True)
    series: Mapped[str] = mapped_column(String(10), primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, default=0)


def _upsert(insert):
    counters = DocumentCounter.__table__  # a Core statement: no ORM bookkeeping for a counter
    stmt = insert(counters).values(store_id=bindparam("store_id"), series=bindparam("series"), last_value=1)
    return stmt.on_conflict_do_update(
        index_elements=[counters.c.store_id, counters.c.series],
        set_={"last_value": counters.c.last_value + 1},
    ).returning(counters.c.last_value)


_UPSERT = {True: _upsert(postgresql_insert), False: _upsert(sqlite_insert)}  # by "is PostgreSQL"; built once


def next_number(session: Session, *, store_id: int, store_code: str, series: str) -> str:
    """The next number, e.g. HD-CH01-000123, in one upsert: a store's first document inserts its counter row,
    the others add one to it. The row stays locked until commit, so numbers have no gaps; take it last."""
    prefix = SERIES[series]
    stmt = _UPSERT[session.get_bind().dialect.name == "postgresql"]
    value = session.execute(stmt, {"store_id": store_id, "series": prefix}).scalar_one()
    return f"{prefix}-{store_code}-{value:06d}"


def provisional_number(series: str) -> str:
    """A unique placeholder for a document row inserted before its number is taken (never committed)."""
    return f"~{SERIES[series]}-{uuid4().hex}"


_NUMBER_ROW: dict[str, TextClause] = {}  # by table name: PostgreSQL's one statement, built once (its cache key too)


_COUNTER_ROW = ("INSERT INTO document_counters (store_id, series, last_value) "
                "VALUES (:n_store_id, :n_series, 1) ON CONFLICT (store_id, series) "
                "DO UPDATE SET last_value = document_counters.last_value + 1 RETURNING last_value")
_COUNTER = f"counter AS ({_COUNTER_ROW})"


def _numbered(table: Table) -> str:
    return (f"UPDATE {table.name} SET number = :n_head || lpad(counter.last_value::text, "
            "greatest(6, length(counter.last_value::text)), '0') "
            f"FROM counter WHERE {table.name}.id = :n_id RETURNING {table.name}.number")


def number_ctes(table: Table) -> str:
    """PostgreSQL: `counter` (the store's counter row, upserted) and `numbered` (the row of `table` given its
    number, returned): the WITH clauses of a statement that numbers a document in one round trip. Parameters
    :n_store_id, :n_series, :n_head (the number's text before its digits) and :n_id (`number_parameters`):
    prefixed, as a Core INSERT riding in the statement takes a parameter named after a column of its table."""
    return f"{_COUNTER}, numbered AS ({_numbered(table)})"


@lru_cache(maxsize=16)
def number_withs(table: Table) -> tuple[CTE, CTE]:
    """`number_ctes` as two WITH clauses for a Core statement to carry (`numbered` has the column `number`)."""
    return (text(_COUNTER_ROW).columns(column("last_value", Integer)).cte("counter"),
            text(_numbered(table)).columns(column("number", String)).cte("numbered"))


def number_parameters(document_id: int, *, store_id: int, store_code: str, series: str) -> dict:
    """The parameters of `number_ctes`."""
    return {"n_store_id": store_id, "n_series": SERIES[series], "n_head": f"{SERIES[series]}-{store_code}-",
            "n_id": document_id}


def _number_row_sql(table: Table) -> TextClause:
    if table.name not in _NUMBER_ROW:
        _NUMBER_ROW[table.name] = text(f"WITH {_COUNTER} {_numbered(table)}")
    return _NUMBER_ROW[table.name]


def number_document(session: Session, table: Table, document_id: int, *, store_id: int, store_code: str,
                    series: str) -> str:
    """Take the next number for a row of `table` inserted under a `provisional_number` and write it there: one
    statement on PostgreSQL (the counter's upsert inside the row's update), two on SQLite (whose writers take
    the whole database anyway). Call it after the document's other writes: it locks the counter until commit."""
    if session.get_bind().dialect.name == "postgresql":
        return session.execute(_number_row_sql(table), number_parameters(
            document_id, store_id=store_id, store_code=store_code, series=series)).scalar_one()
    number = next_number(session, store_id=store_id, store_code=store_code, series=series)
    session.execute(update(table).where(table.c.id == document_id).values(number=number))
    return number


def last_number(session: Session, store_id: int, series: str) -> int:
    prefix = SERIES[series]
    stmt = select(DocumentCounter.last_value).where(
        DocumentCounter.store_id == store_id, DocumentCounter.series == prefix
    )
    return session.execute(stmt).scalar() or 0
