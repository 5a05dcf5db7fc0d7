"""Gap-free document numbers per store and series, taken inside the document's own transaction."""
from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, bindparam, select
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


def last_number(session: Session, store_id: int, series: str) -> int:
    prefix = SERIES[series]
    stmt = select(DocumentCounter.last_value).where(
        DocumentCounter.store_id == store_id, DocumentCounter.series == prefix
    )
    return session.execute(stmt).scalar() or 0
