"""The e-invoice lane at claim time: only the head of each store's queue is due (invoices go out in sale order per
series), and each claimed message becomes a job or a local decision. No network here."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, func, or_, select, update
from sqlalchemy.orm import Session, aliased, lazyload

from connectors.einvoice.document import InvoiceDocument
from connectors.einvoice.providers import SANDBOX_URL, Account, account_for
from pharmacy.einvoices.models import EInvoice
from pharmacy.einvoices.services import EINVOICE
from pharmacy.outbox.models import OutboxMessage
from pharmacy.sales.models import Sale
from pharmacy.stores.models import Store

from ... import notices
from ...claims import Claimed, due, log_lease_expired, settle
from ...plans import Decision, Plan, held, held_unconfigured
from .documents import build_document


@dataclass(frozen=True)
class Job:
    message_id: int
    lease_owner: str
    store_id: int
    number: str
    account: Account
    document: InvoiceDocument
    check_first: bool = False     # the last outcome is unknown: look the key up before creating anything
    voided: bool = False          # the sale was voided since: when the look-up finds nothing, issue nothing


def scope():
    return OutboxMessage.target == EINVOICE


def head_ids():
    """Per store, the first message still to go whose original (if any) is settled: only it may be sent now."""
    message, original = aliased(OutboxMessage), aliased(OutboxMessage)
    settled = exists().where(original.id == message.depends_on_id, original.status.in_(("sent", "cancelled")))
    return (select(func.min(message.id)).where(
        message.target == EINVOICE, message.status.in_(("pending", "sending")),
        or_(message.depends_on_id.is_(None), settled)).group_by(message.store_id))


@dataclass(frozen=True)
class SeriesJob:
    """A store's next invoices, sent one after another in one thread (numbers and dates stay in order)."""

    message_id: int               # the head's (for the runner's log)
    lease_owner: str
    store_id: int
    number: str
    jobs: tuple[Job, ...]


def _run_of(session: Session, head: int, store_id: int, now: datetime, size: int) -> list[int]:
    """The head and the store's following messages that may go right after it: due, with no original still to
    go in this run (a correction waiting on an unsent original is skipped, as it does not block)."""
    original = aliased(OutboxMessage)
    rows = session.execute(
        select(OutboxMessage.id, OutboxMessage.depends_on_id, original.status)
        .outerjoin(original, original.id == OutboxMessage.depends_on_id)
        .where(OutboxMessage.target == EINVOICE, OutboxMessage.store_id == store_id, OutboxMessage.id >= head,
               OutboxMessage.status.in_(("pending", "sending")))
        .order_by(OutboxMessage.id).limit(4 * size)).all()
    due_ids = set(session.execute(select(OutboxMessage.id).where(
        OutboxMessage.id.in_([row.id for row in rows]), due(now))).scalars())
    run: list[int] = []
    for row in rows:
        if row.depends_on_id is not None and row.depends_on_id in run:
            break                              # its original goes in this run: it waits for the outcome
        if row.depends_on_id is not None and row.status not in ("sent", "cancelled"):
            continue                           # waits for an original still to go; it blocks nothing
        if row.id not in due_ids:
            break                              # backing off (or another worker's): the rest wait behind it
        run.append(row.id)
        if len(run) >= size:
            break
    return run


def claim_heads(session: Session, *, owner: str, worker: str, now: datetime, limit: int, lease_seconds: float,
                postgresql: bool, settings, run_size: int = 8) -> Claimed:
    """Per store, the head of its queue and the run behind it; the heads are locked (SKIP LOCKED on PostgreSQL),
    so another worker's head query sees them sending and claims nothing of that store."""
    stmt = (select(OutboxMessage.id, OutboxMessage.store_id)
            .where(OutboxMessage.id.in_(head_ids()), due(now)).order_by(OutboxMessage.id).limit(limit))
    if postgresql:
        stmt = stmt.with_for_update(skip_locked=True, of=OutboxMessage)
    heads = session.execute(stmt).all()
    runs = {head.store_id: _run_of(session, head.id, head.store_id, now, run_size) for head in heads}
    ids = [message_id for run in runs.values() for message_id in run]
    claimed = Claimed(count=len(ids))
    if not ids:
        return claimed
    expired = set(session.execute(select(OutboxMessage.id).where(OutboxMessage.id.in_(ids),
                                                                 OutboxMessage.status == "sending")).scalars())
    session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids), due(now))
                    .values(status="sending", lease_owner=owner, lease_until=now + timedelta(seconds=lease_seconds),
                            updated_at=now).execution_options(synchronize_session=False))
    messages = {message.id: message for message in session.execute(
        select(OutboxMessage).where(OutboxMessage.id.in_(ids), OutboxMessage.lease_owner == owner)
        .execution_options(populate_existing=True)).scalars()}
    for store_id, run in runs.items():
        jobs = []
        for message_id in run:
            message = messages.get(message_id)
            if message is None:
                continue
            if message.id in expired:
                message.outcome_unknown = True
                log_lease_expired(session, message, now, worker)
            plan = plan_message(session, message, settings, owner=owner)
            if plan.job is not None:
                jobs.append(plan.job)
            else:
                settle(message, plan, now, claimed)
            session.flush()
        if jobs:
            claimed.jobs.append(SeriesJob(jobs[0].message_id, owner, store_id, jobs[0].number, tuple(jobs)))
    return claimed


def plan_message(session: Session, message: OutboxMessage, settings, *, owner: str = "") -> Plan:
    """What to do with one message now, from the current data."""
    invoice = session.get(EInvoice, message.document_id)
    if invoice is None:
        return Plan(decision=Decision("rejected", f"document not found: e-invoice #{message.document_id}"))
    sale = session.get(Sale, invoice.sale_id, options=[lazyload(Sale.seller), lazyload(Sale.prescription)])
    store = session.get(Store, invoice.store_id)
    voided = invoice.kind == "original" and sale.void is not None
    if voided and not message.outcome_unknown:
        return Plan(decision=Decision("cancelled", notices.VOIDED_BEFORE_SENT))
    if invoice.original_id is not None:
        original = session.get(OutboxMessage, message.depends_on_id)
        if original is not None and original.status == "cancelled":
            return Plan(decision=Decision("cancelled", notices.ORIGINAL_NEVER_SENT))
    account = account_for(invoice.provider, settings, store.einvoice_username, store.einvoice_password_encrypted,
                          store.seller_tax_code)
    if not account.root_url:
        return held_unconfigured(SANDBOX_URL, "einvoice")
    if account.provider != "sandbox" and not (account.username and account.password_encrypted):
        return Plan(decision=held([{"product": None, "field": "einvoice_username",
                                    "reason": "is missing on the store"}]))
    return Plan(job=Job(message.id, owner, store.id, message.document_number, account,
                        build_document(session, invoice, sale, store), check_first=message.outcome_unknown,
                        voided=voided))


def record_issued(session: Session, message_id: int, issued) -> None:
    """The provider's number, MTT code and lookup code on the invoice row (sent)."""
    message = session.get(OutboxMessage, message_id)
    invoice = session.get(EInvoice, message.document_id)
    invoice.number, invoice.mtt_code, invoice.lookup_code = issued.number, issued.mtt_code, issued.lookup_code
    invoice.issued_at = issued.issued_at or invoice.issued_at or invoice.created_at
    session.flush()


def release_untried(session: Session, ids: list[int], owner: str, now: datetime) -> None:
    """Messages of a run that were not tried (one before them did not go): pending again, due now, untouched."""
    if ids:
        session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids), OutboxMessage.status == "sending",
                                                    OutboxMessage.lease_owner == owner)
                        .values(status="pending", lease_owner=None, lease_until=None, updated_at=now)
                        .execution_options(synchronize_session=False))
