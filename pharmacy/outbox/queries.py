"""Reading the outbox for people: pages of messages, counts per store, the messages of one document (flush-free)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from ..clock import as_utc
from ..errors import NotFound, msg
from .models import STATUSES, OutboxMessage
from .services import NATIONAL_DRUG_DB


def _scoped(stmt, store_ids: list[int] | None):
    return stmt if store_ids is None else stmt.where(OutboxMessage.store_id.in_(store_ids))


def list_messages(session: Session, store_ids: list[int] | None, *, status: str | None = None,
                  store_id: int | None = None, page: int = 1, per_page: int = 50) -> tuple[list[OutboxMessage], int]:
    """One page of messages (newest first) with their attempt logs, and the total count."""
    stmt = _scoped(select(OutboxMessage), store_ids)
    if status:
        stmt = stmt.where(OutboxMessage.status == status)
    if store_id:
        stmt = stmt.where(OutboxMessage.store_id == store_id)
    total = session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    rows = session.execute(
        stmt.options(selectinload(OutboxMessage.attempt_log)).order_by(OutboxMessage.id.desc())
        .offset((page - 1) * per_page).limit(per_page)
    ).scalars().all()
    return list(rows), total


def summary(session: Session, store_ids: list[int] | None, now: datetime) -> list[dict]:
    """Per store: counts per status and the age in seconds of the oldest pending message."""
    counts = session.execute(_scoped(
        select(OutboxMessage.store_id, OutboxMessage.status, func.count(), func.min(OutboxMessage.created_at))
        .group_by(OutboxMessage.store_id, OutboxMessage.status), store_ids)).all()
    stores: dict[int, dict] = {}
    for store_id, status, count, oldest in counts:
        entry = stores.setdefault(store_id, {"store_id": store_id, "counts": dict.fromkeys(STATUSES, 0),
                                             "oldest_pending_seconds": None})
        entry["counts"][status] = count
        if status in ("pending", "sending") and oldest is not None:
            age = max(0, int((now - as_utc(oldest)).total_seconds()))
            entry["oldest_pending_seconds"] = max(age, entry["oldest_pending_seconds"] or 0)
    return [stores[key] for key in sorted(stores)]


def get_message(session: Session, message_id: int, store_ids: list[int] | None) -> OutboxMessage:
    message = session.get(OutboxMessage, message_id)
    if message is None or (store_ids is not None and message.store_id not in store_ids):
        raise NotFound(msg("Sync message #%(id)s not found.", id=message_id), field="message_id")
    return message


def document_messages(session: Session, documents: list[tuple[str, int]]) -> list[OutboxMessage]:
    """Every message (any target) of the given documents, matched by (document type, document id), oldest first.

    Ids of different document types overlap (sale 20 and void 20 are different documents): never match by id alone.
    """
    if not documents:
        return []
    match = or_(*(and_(OutboxMessage.document_type == kind, OutboxMessage.document_id == document_id)
                  for kind, document_id in documents))
    return list(session.execute(select(OutboxMessage).where(match).order_by(OutboxMessage.id)).scalars())


def national_status(session: Session, document_type: str, document_id: int) -> dict | None:
    """A document's national upload state for the sale/receipt pages; None when it has no message."""
    message = session.execute(select(OutboxMessage).where(
        OutboxMessage.target == NATIONAL_DRUG_DB, OutboxMessage.document_type == document_type,
        OutboxMessage.document_id == document_id)).scalars().first()
    if message is None:
        return None
    return {"message_id": message.id, "status": message.status, "remote_id": message.remote_id,
            "sent_at": message.sent_at, "last_error": message.last_error, "problems": message.problems,
            "attempts": message.attempts}
