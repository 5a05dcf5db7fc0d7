"""The e-invoice lane at claim time: only the head of each store's queue is due (invoices go out in sale order per
series), and each claimed message becomes a job or a local decision. No network here."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, func, or_, select, update
from sqlalchemy.orm import Session, aliased

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


def claim_heads(session: Session, *, owner: str, worker: str, now: datetime, limit: int, lease_seconds: float,
                postgresql: bool, settings) -> Claimed:
    stmt = (select(OutboxMessage.id, OutboxMessage.status)
            .where(OutboxMessage.id.in_(head_ids()), due(now)).order_by(OutboxMessage.id).limit(limit))
    if postgresql:
        stmt = stmt.with_for_update(skip_locked=True, of=OutboxMessage)
    rows = session.execute(stmt).all()
    claimed = Claimed(count=len(rows))
    if not rows:
        return claimed
    ids = [row.id for row in rows]
    session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids), due(now))
                    .values(status="sending", lease_owner=owner, lease_until=now + timedelta(seconds=lease_seconds),
                            updated_at=now).execution_options(synchronize_session=False))
    expired = {row.id for row in rows if row.status == "sending"}
    messages = session.execute(select(OutboxMessage).where(OutboxMessage.id.in_(ids),
                                                           OutboxMessage.lease_owner == owner)
                               .order_by(OutboxMessage.id).execution_options(populate_existing=True)).scalars()
    for message in messages:
        if message.id in expired:
            message.outcome_unknown = True
            log_lease_expired(session, message, now, worker)
        plan = plan_message(session, message, settings, owner=owner)
        if plan.job is not None:
            claimed.jobs.append(plan.job)
        else:
            settle(message, plan, now, claimed)
        session.flush()
    return claimed


def plan_message(session: Session, message: OutboxMessage, settings, *, owner: str = "") -> Plan:
    """What to do with one message now, from the current data."""
    invoice = session.get(EInvoice, message.document_id)
    if invoice is None:
        return Plan(decision=Decision("rejected", f"document not found: e-invoice #{message.document_id}"))
    sale, store = session.get(Sale, invoice.sale_id), session.get(Store, invoice.store_id)
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
