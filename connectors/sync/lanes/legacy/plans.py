"""The legacy lane at claim time: which messages are due and ready; a call to make, or a local outcome."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.orm import Session, aliased

from connectors.documents import IncompleteDocumentError, NothingToReportError
from connectors.nationaldb.payloads import (
    INVOICE,
    delete_target,
    invoice_payload,
    issue_payload,
    receipt_payload,
)
from pharmacy.outbox.models import OutboxMessage
from pharmacy.stores.models import Store

from ... import notices
from ...claims import Claimed, cancel_original, due, log_lease_expired, settle
from ...plans import AccountJob, Decision, Plan, account_problems, held, held_unconfigured
from ...scopes import legacy_scope
from ...snapshots import VOID_TYPES, DocumentGone, Snapshot, preload, snapshot_for

POST, DELETE = "post", "delete"
BUILDERS = {"sale": invoice_payload, "receipt": receipt_payload, "customer_return": receipt_payload,
            "issue": issue_payload, "transfer_out": issue_payload, "transfer_in": receipt_payload}
API_KINDS = {"sale": INVOICE, "receipt": "phieu_nhap", "customer_return": "phieu_nhap", "issue": "phieu_xuat",
             "transfer_out": "phieu_xuat", "transfer_in": "phieu_nhap"}


@dataclass(frozen=True)
class Job(AccountJob):
    """One call (or call sequence) to make for a claimed message; plain data, safe to hand to a thread."""

    document_type: str
    api_kind: str                  # hoa_don | phieu_nhap | phieu_xuat
    number: str
    facility_code: str
    action: str                    # post | delete
    payload: dict | None = None
    check_first: bool = False      # the last outcome is unknown: GET (invoice) or DELETE (others) before POSTing
    voided: bool = False           # the sale was voided since; if the look-up finds nothing, send nothing


def ready():
    """Send only along dependencies: after the original is sent (a void also once it is settled locally)."""
    original = aliased(OutboxMessage)
    settled = exists().where(original.id == OutboxMessage.depends_on_id, or_(
        original.status.in_(("sent", "cancelled")),
        and_(OutboxMessage.document_type.in_(VOID_TYPES), original.status != "sending"),
    ))
    return and_(legacy_scope(), or_(OutboxMessage.depends_on_id.is_(None), settled))


def claim_batch(session: Session, *, owner: str, worker: str, now: datetime, limit: int, lease_seconds: float,
                postgresql: bool, configured: bool = True) -> Claimed:
    """Claim up to `limit` due messages (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: under BEGIN IMMEDIATE),
    then plan each one from the current data. The caller commits; no network happens here."""
    stmt = (select(OutboxMessage.id, OutboxMessage.status).where(due(now), ready())
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit))
    if postgresql:
        stmt = stmt.with_for_update(skip_locked=True, of=OutboxMessage)
    rows = session.execute(stmt).all()
    claimed = Claimed(count=len(rows))
    if not rows:
        return claimed
    ids = [row.id for row in rows]
    session.execute(
        update(OutboxMessage).where(OutboxMessage.id.in_(ids), due(now))
        .values(status="sending", lease_owner=owner, lease_until=now + timedelta(seconds=lease_seconds),
                updated_at=now)
        .execution_options(synchronize_session=False)
    )
    expired = {row.id for row in rows if row.status == "sending"}
    # One query for the whole batch instead of one per message: which of them a void already waits on.
    voided = set(session.execute(select(OutboxMessage.depends_on_id).where(
        OutboxMessage.depends_on_id.in_(ids), OutboxMessage.document_type.in_(VOID_TYPES))).scalars())
    messages = session.execute(
        select(OutboxMessage).where(OutboxMessage.id.in_(ids), OutboxMessage.lease_owner == owner)
        .order_by(OutboxMessage.id).execution_options(populate_existing=True)
    ).scalars().all()
    documents = preload(session, messages)  # noqa: F841 - held while planning: the batch's documents in the session
    for message in messages:
        if message.id in expired:
            message.outcome_unknown = True
            log_lease_expired(session, message, now, worker)
        plan = plan_message(session, message, owner=owner, postgresql=postgresql, configured=configured,
                            voided_ids=voided)
        if plan.cancel_original and message.depends_on_id is not None:
            cancel_original(session, message.depends_on_id, now)
        if plan.job is not None:
            claimed.jobs.append(plan.job)
        else:
            settle(message, plan, now, claimed)
        session.flush()
    return claimed


def lock_original(session: Session, message: OutboxMessage, postgresql: bool) -> OutboxMessage | None:
    """The message a void depends on, locked on PostgreSQL (skipping a row another worker is claiming)."""
    stmt = select(OutboxMessage).where(OutboxMessage.id == message.depends_on_id)
    if postgresql:
        stmt = stmt.with_for_update(skip_locked=True)
    return session.execute(stmt.execution_options(populate_existing=True)).scalars().first()


def plan_void(session: Session, message: OutboxMessage, store: Store, owner: str, postgresql: bool,
              configured: bool) -> Plan:
    """A void: DELETE when the original was (or may have been) sent, nothing at all when it never was."""
    original = None
    if message.depends_on_id is not None:
        original = lock_original(session, message, postgresql)
        if original is None or original.status == "sending":
            return Plan(decision=Decision("pending", notices.WAITING_FOR_ORIGINAL, delay_seconds=1))
        if original.status == "cancelled" and not original.outcome_unknown:
            return Plan(decision=Decision("cancelled", notices.ORIGINAL_NEVER_SENT))
        # Cancelled with an unknown outcome: it may have arrived (an earlier DELETE of ours failed), so DELETE.
        if original.status != "sent" and not original.outcome_unknown:
            return Plan(decision=Decision("cancelled", notices.VOIDED_BEFORE_SENT), cancel_original=True)
    try:
        snapshot = snapshot_for(session, message)
        kind, code, number = delete_target(snapshot.doc)
    except DocumentGone as exc:
        return Plan(decision=Decision("rejected", f"document not found: {exc}"))
    except IncompleteDocumentError as exc:
        return Plan(decision=held(exc.problems))
    missing = account_problems(store)
    if missing:
        return Plan(decision=held(missing))
    if not configured:
        return _unconfigured()
    job = Job(message.id, owner, store.id, (store.national_username, store.national_password_encrypted),
              message.document_type, kind, number, code, DELETE)
    # An original whose outcome is unknown: delete whatever may have arrived, and never send it again.
    return Plan(job=job, cancel_original=original is not None and original.status != "sent")


def has_void(session: Session, message: OutboxMessage) -> bool:
    """Whether a void (of this document, or of the sale that erases it) already waits on this message."""
    stmt = select(OutboxMessage.id).where(
        OutboxMessage.depends_on_id == message.id, OutboxMessage.document_type.in_(VOID_TYPES))
    return session.execute(stmt.limit(1)).first() is not None


def plan_message(session: Session, message: OutboxMessage, *, owner: str = "", postgresql: bool = False,
                 configured: bool = True, voided_ids: set[int] | None = None) -> Plan:
    """What to do with one message now: build its snapshot and payload from the current data (`voided_ids`: the
    messages a void waits on, when the caller read them for a whole batch)."""
    store = session.get(Store, message.store_id)
    if message.document_type in VOID_TYPES:
        return plan_void(session, message, store, owner, postgresql, configured)
    if message.document_type not in BUILDERS:  # a stock count: v2 has stock-taking, the legacy API nothing
        return Plan(decision=Decision("cancelled", notices.LOCAL_ONLY))
    try:
        snapshot: Snapshot = snapshot_for(session, message)
    except DocumentGone as exc:
        return Plan(decision=Decision("rejected", f"document not found: {exc}"))
    voided = snapshot.voided or (message.id in voided_ids if voided_ids is not None else has_void(session, message))
    if voided and not message.outcome_unknown:
        return Plan(decision=Decision("cancelled", notices.VOIDED_BEFORE_SENT))
    try:
        payload = BUILDERS[message.document_type](snapshot.doc)
    except NothingToReportError:
        return Plan(decision=Decision("cancelled", notices.NO_DRUGS))
    except IncompleteDocumentError as exc:
        return Plan(decision=held(exc.problems, snapshot.product_ids))
    missing = account_problems(store)
    if missing:
        return Plan(decision=held(missing, snapshot.product_ids))
    if not configured:
        return _unconfigured()
    return Plan(job=Job(
        message.id, owner, store.id, (store.national_username, store.national_password_encrypted),
        message.document_type, API_KINDS[message.document_type], snapshot.doc.number,
        snapshot.doc.facility.code, POST, payload, check_first=message.outcome_unknown, voided=voided,
    ))


def _unconfigured() -> Plan:
    return held_unconfigured("NATIONAL_DRUG_DB_URL", "legacy")
