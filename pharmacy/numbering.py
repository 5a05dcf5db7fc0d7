"""Gap-free document numbers per store and series, taken inside the document's own transaction."""
from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from .extensions import db

SERIES = {"sale": "HD", "receipt": "PN", "issue": "PX", "void": "HUY", "return": "TH", "prescription": "DT"}


class DocumentCounter(db.Model):
    __tablename__ = "document_counters"

    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), primary_key=True)
    series: Mapped[str] = mapped_column(String(10), primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, default=0)


def next_number(session: Session, *, store_id: int, store_code: str, series: str) -> str:
    """The next number, e.g. HD-CH01-000123. The counter row stays locked until commit, so no gaps."""
    prefix = SERIES[series]
    stmt = (
        update(DocumentCounter)
        .where(DocumentCounter.store_id == store_id, DocumentCounter.series == prefix)
        .values(last_value=DocumentCounter.last_value + 1)
        .returning(DocumentCounter.last_value)
    )
    value = session.execute(stmt).scalar()
    if value is None:
        session.add(DocumentCounter(store_id=store_id, series=prefix, last_value=1))
        session.flush()
        value = 1
    return f"{prefix}-{store_code}-{value:06d}"


def last_number(session: Session, store_id: int, series: str) -> int:
    prefix = SERIES[series]
    stmt = select(DocumentCounter.last_value).where(
        DocumentCounter.store_id == store_id, DocumentCounter.series == prefix
    )
    return session.execute(stmt).scalar() or 0
