"""Deciding, at send time, what to do with a claimed outbox message: a call to make, or a local outcome."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from connectors.nationaldb.errors import MissingDataError, NothingToReportError
from connectors.nationaldb.payloads import (
    INVOICE,
    delete_target,
    invoice_payload,
    issue_payload,
    receipt_payload,
)
from pharmacy.outbox.models import OutboxMessage
from pharmacy.stores.models import Store

from .snapshots import VOID_TYPES, DocumentGone, Snapshot, snapshot_for

POST, DELETE = "post", "delete"
BUILDERS = {"sale": invoice_payload, "receipt": receipt_payload, "customer_return": receipt_payload,
            "issue": issue_payload}
API_KINDS = {"sale": INVOICE, "receipt": "phieu_nhap", "customer_return": "phieu_nhap", "issue": "phieu_xuat"}


@dataclass(frozen=True)
class Job:
    """One call (or call sequence) to make for a claimed message; plain data, safe to hand to a thread."""

    message_id: int
    lease_owner: str
    store_id: int
    account: tuple[str, str]       # (national username, encrypted password)
    document_type: str
    api_kind: str                  # hoa_don | phieu_nhap | phieu_xuat
    number: str
    facility_code: str
    action: str                    # post | delete
    payload: dict | None = None
    check_first: bool = False      # the last outcome is unknown: GET (invoice) or DELETE (others) before POSTing
    voided: bool = False           # the sale was voided since; if the look-up finds nothing, send nothing


@dataclass(frozen=True)
class Decision:
    """A local outcome, no network: held (with problems), cancelled, rejected, or released to wait a little."""

    status: str
    message: str
    problems: list[dict] | None = None
    delay_seconds: float = 0.0


@dataclass
class Plan:
    """Either a job to run or a local decision; a void of a never-sent original also cancels that original."""

    job: Job | None = None
    decision: Decision | None = None
    cancel_original: bool = False


def _held(problems: list[dict], snapshot: Snapshot | None) -> Decision:
    ids = snapshot.product_ids if snapshot else {}
    listed = [{**problem, "product_id": ids.get(problem.get("product"))} for problem in problems]
    text = "; ".join(f"{p['product'] or 'document'}: {p['field']} {p['reason']}" for p in listed)
    return Decision("held", text, listed)


def account_problems(store: Store) -> list[dict]:
    """What the store lacks to log in and report: a person must fill these in on the store."""
    missing = []
    for field_name, value in (("national_facility_code", store.national_facility_code),
                              ("national_username", store.national_username),
                              ("national_password", store.national_password_encrypted)):
        if not value:
            missing.append({"product": None, "field": field_name, "reason": "is missing on the store"})
    return missing


def lock_original(session: Session, message: OutboxMessage, postgresql: bool) -> OutboxMessage | None:
    """The message a void depends on, locked on PostgreSQL (skipping a row another worker is claiming)."""
    stmt = select(OutboxMessage).where(OutboxMessage.id == message.depends_on_id)
    if postgresql:
        stmt = stmt.with_for_update(skip_locked=True)
    return session.execute(stmt.execution_options(populate_existing=True)).scalars().first()


def plan_void(session: Session, message: OutboxMessage, store: Store, owner: str, postgresql: bool) -> Plan:
    """A void: DELETE when the original was (or may have been) sent, nothing at all when it never was."""
    original = None
    if message.depends_on_id is not None:
        original = lock_original(session, message, postgresql)
        if original is None or original.status == "sending":
            return Plan(decision=Decision("pending", "waiting for the original document's send", delay_seconds=1))
        if original.status == "cancelled" and not original.outcome_unknown:
            return Plan(decision=Decision("cancelled", "the original document was never sent: nothing to cancel"))
        # Cancelled with an unknown outcome: it may have arrived (an earlier DELETE of ours failed), so DELETE.
        if original.status != "sent" and not original.outcome_unknown:
            return Plan(decision=Decision("cancelled", "voided before it was sent: nothing sent"),
                        cancel_original=True)
    try:
        snapshot = snapshot_for(session, message)
        kind, code, number = delete_target(snapshot.doc)
    except DocumentGone as exc:
        return Plan(decision=Decision("rejected", f"document not found: {exc}"))
    except MissingDataError as exc:
        return Plan(decision=_held(exc.problems, None))
    missing = account_problems(store)
    if missing:
        return Plan(decision=_held(missing, None))
    job = Job(message.id, owner, store.id, (store.national_username, store.national_password_encrypted),
              message.document_type, kind, number, code, DELETE)
    # An original whose outcome is unknown: delete whatever may have arrived, and never send it again.
    return Plan(job=job, cancel_original=original is not None and original.status != "sent")


def has_void(session: Session, message: OutboxMessage) -> bool:
    """Whether a void (of this document, or of the sale that erases it) already waits on this message."""
    stmt = select(OutboxMessage.id).where(
        OutboxMessage.depends_on_id == message.id, OutboxMessage.document_type.in_(VOID_TYPES))
    return session.execute(stmt.limit(1)).first() is not None


def plan_message(session: Session, message: OutboxMessage, *, owner: str = "", postgresql: bool = False) -> Plan:
    """What to do with one message now: build its snapshot and payload from the current data."""
    store = session.get(Store, message.store_id)
    if message.document_type in VOID_TYPES:
        return plan_void(session, message, store, owner, postgresql)
    try:
        snapshot = snapshot_for(session, message)
    except DocumentGone as exc:
        return Plan(decision=Decision("rejected", f"document not found: {exc}"))
    voided = snapshot.voided or has_void(session, message)
    if voided and not message.outcome_unknown:
        return Plan(decision=Decision("cancelled", "voided before it was sent: nothing sent"))
    try:
        payload = BUILDERS[message.document_type](snapshot.doc)
    except NothingToReportError:
        return Plan(decision=Decision("cancelled", "no drugs in the document: nothing to report"))
    except MissingDataError as exc:
        return Plan(decision=_held(exc.problems, snapshot))
    missing = account_problems(store)
    if missing:
        return Plan(decision=_held(missing, snapshot))
    return Plan(job=Job(
        message.id, owner, store.id, (store.national_username, store.national_password_encrypted),
        message.document_type, API_KINDS[message.document_type], snapshot.doc.number,
        snapshot.doc.facility.code, POST, payload, check_first=message.outcome_unknown, voided=voided,
    ))
