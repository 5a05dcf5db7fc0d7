"""Changing the outbox (flush only; the edge commits): writing rows in the document's own transaction, and what
people ask of the sync — retry, send now, settle an uncertain v2 submission, resend one the national side lost."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from ..errors import Conflict, Invalid, msg
from ..models_base import insert_all
from .models import OutboxAttempt, OutboxMessage

NATIONAL_DRUG_DB = "national_drug_db"
RETRYABLE = ("rejected", "held")
# A message's status as a person reads it: the sync page and the badges show these (presenters/sync.py), in order.
STATUS_NAMES = {"pending": msg("Waiting to send"), "sending": msg("Sending"), "sent": msg("Sent"),
                "awaiting_result": msg("Awaiting result"), "rejected": msg("Rejected"), "held": msg("Held"),
                "cancelled": msg("Cancelled")}
RESOLUTIONS = ("sent", "resend")


def enqueue(
    session: Session,
    *,
    target: str,
    kind: str,
    store_id: int,
    document_type: str,
    document_id: int,
    document_number: str,
    now: datetime,
    depends_on: OutboxMessage | None = None,
) -> OutboxMessage:
    """Add one message; its idempotency key is made here, once, and reused by every retry."""
    [message] = insert_all(session, OutboxMessage, [_row(target=target, kind=kind, store_id=store_id,
                                                         document_type=document_type, document_id=document_id,
                                                         document_number=document_number, now=now,
                                                         depends_on=depends_on)])
    # one INSERT … RETURNING, as a document's own rows are written: no unit-of-work flush
    set_committed_value(message, "depends_on", depends_on)
    set_committed_value(message, "attempt_log", [])
    return message


def row_write(*, target: str, kind: str, store_id: int, document_type: str, document_id: int, document_number: str,
              now: datetime) -> tuple:
    """`enqueue` for a caller that needs no object back, as (statement, parameters) for it to run: one plain
    INSERT, nothing returned or built. A sale's report rides in its chain's last statement (audit/chain.py),
    written while the store's counter is locked."""
    row = _row(target=target, kind=kind, store_id=store_id, document_type=document_type, document_id=document_id,
               document_number=document_number, now=now)
    return _INSERT, {f"o_{name}": value for name, value in row.items()}


def _row(*, target: str, kind: str, store_id: int, document_type: str, document_id: int, document_number: str,
         now: datetime, depends_on: OutboxMessage | None = None) -> dict:
    return {"target": target, "kind": kind, "store_id": store_id, "document_type": document_type,
            "document_id": document_id, "document_number": document_number,
            "idempotency_key": f"{target}:{kind}:{document_number}",
            "depends_on_id": depends_on.id if depends_on is not None else None,
            "status": "pending", "attempts": 0, "outcome_unknown": False, "next_attempt_at": now, "created_at": now,
            "updated_at": now}


_table = OutboxMessage.__table__
# Every column a new row sets (_row's), as parameters o_…: the statement may ride in an UPDATE of another table,
# where a parameter named after that table's column (store_id) is taken. Column defaults do not apply inside a WITH.
_INSERT = insert(_table).values({name: bindparam(f"o_{name}", type_=_table.c[name].type)
                                 for name in _row(target="", kind="", store_id=0, document_type="", document_id=0,
                                                  document_number="", now=None)})


def message_for(session: Session, *, target: str, document_type: str, document_id: int) -> OutboxMessage | None:
    stmt = select(OutboxMessage).where(
        OutboxMessage.target == target,
        OutboxMessage.document_type == document_type,
        OutboxMessage.document_id == document_id,
    )
    return session.execute(stmt).scalars().first()


def retry_message(session: Session, message: OutboxMessage, now: datetime) -> OutboxMessage:
    """A rejected or held message goes back to pending, due now (after a person fixed the data)."""
    if message.status not in RETRYABLE:
        raise Conflict(msg("Only a rejected or held message can be sent again (status: %(status)s).",
                           status=STATUS_NAMES.get(message.status, message.status)),
                       field="status")
    message.status, message.next_attempt_at, message.updated_at = "pending", now, now
    session.flush()
    return message


def send_now(session: Session, store_ids: list[int] | None, now: datetime) -> int:
    """Make every waiting message due now, for every national system (the owner's "Gửi ngay"); returns how many."""
    stmt = update(OutboxMessage).where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at > now)
    if store_ids is not None:
        stmt = stmt.where(OutboxMessage.store_id.in_(store_ids))
    result = session.execute(stmt.values(next_attempt_at=now).execution_options(synchronize_session=False))
    session.flush()
    return result.rowcount


def resolve_uncertain(session: Session, message: OutboxMessage, *, resolution: str, actor: str, now: datetime,
                      remote_id: str | None = None) -> OutboxMessage:
    """Settle an uncertain v2 submission as a person found it on the national portal.

    `sent` with the transaction id seen on the portal resumes polling it; `sent` without one ends it as sent;
    `resend` submits it again (the person checked it is not there).
    """
    if resolution not in RESOLUTIONS:
        raise Invalid(msg("Choose 'sent' (it is on the national portal) or 'resend'."), field="resolution")
    if message.status != "held" or not message.outcome_unknown:
        raise Conflict(msg("Message #%(id)s is not waiting for an unknown outcome (status: %(status)s).", id=message.id,
                           status=STATUS_NAMES.get(message.status, message.status)),
                       field="status")
    remote_id = (remote_id or "").strip()
    if resolution == "sent" and remote_id:
        # Found on the portal with its transaction id: poll it, so its real outcome (even a rejection) shows here.
        message.status, message.remote_id, message.next_attempt_at = "awaiting_result", remote_id, now
        note = f"found by a person on the national portal as {remote_id}: following its status"
    elif resolution == "sent":
        message.status, message.sent_at = "sent", now
        note = "marked as sent by a person who found it on the national portal"
    else:
        message.status, message.next_attempt_at = "pending", now
        note = "resent by a person who did not find it on the national portal"
    message.outcome_unknown, message.last_error, message.problems = False, None, None
    message.updated_at = now
    session.add(OutboxAttempt(message_id=message.id, started_at=now, finished_at=now, outcome=f"person_{resolution}",
                              response_excerpt=note, remote_id=message.remote_id, worker=f"person:{actor}"[:100]))
    session.flush()
    return message


def resend_lost(session: Session, message: OutboxMessage, *, actor: str, now: datetime) -> OutboxMessage:
    """Send again a message recorded as sent that the national side was just asked about and does not have (the
    caller asked: connectors/sync/verify.py resend_if_absent). Its old transaction id is dropped, so v2 submits
    anew instead of polling the refused one."""
    if message.status != "sent":
        raise Conflict(msg("Only a document recorded as sent can be sent again because the national side lost it."),
                       field="status")
    note = f"resent by a person: the national side does not have it (was {message.remote_id or 'sent'})"
    session.add(OutboxAttempt(message_id=message.id, started_at=now, finished_at=now, outcome="person_resend_lost",
                              response_excerpt=note[:500], remote_id=message.remote_id, worker=f"person:{actor}"[:100]))
    message.status, message.next_attempt_at, message.remote_id, message.sent_at = "pending", now, None, None
    message.outcome_unknown, message.last_error, message.problems, message.updated_at = False, None, None, now
    session.flush()
    return message
