"""End-of-day reconciliation of one store (read only): the day's sales against the e-invoices issued (count and
amounts by VAT rate), and the day's national documents against what the national side confirmed.

The national side is read as its answers were recorded by the sync (a national id back, or a look-up that found
the document); nothing is called here. Legacy receipts and issues cannot be looked up nationally: a document
recorded without a national id is listed as not verifiable rather than as confirmed.

It also carries the store's journal head at the end of the day, printed with the report (`audit verify --head`)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit.queries import head_of_day
from ..clock import local_day_bounds
from ..outbox.models import OutboxMessage
from ..outbox.services import NATIONAL_DRUG_DB
from ..sales.models import Sale
from ..stores.models import Store
from .models import EInvoice
from .presets import vat_rate

WAITING = ("pending", "sending", "awaiting_result", "held", "rejected")


def _day(day: date):
    return local_day_bounds(day), local_day_bounds(day, end=True)


def _by_rate(sale: Sale, rules: str, sums: dict[int, int]) -> None:
    for line in sale.lines:
        rate = vat_rate(line.product.vat_rate, rules)
        sums[rate] = sums.get(rate, 0) + line.amount


def einvoice_part(session: Session, store: Store, day: date) -> dict | None:
    start, end = _day(day)
    sales = session.execute(select(Sale).where(Sale.store_id == store.id, Sale.created_at >= start,
                                               Sale.created_at < end).order_by(Sale.id)).scalars().all()
    invoices = session.execute(select(EInvoice).where(EInvoice.sale_id.in_([s.id for s in sales]))).scalars().all() \
        if sales else []
    if not invoices and store.einvoice_provider is None:
        return None
    originals = {inv.sale_id: inv for inv in invoices if inv.kind == "original"}
    statuses = dict(session.execute(select(OutboxMessage.id, OutboxMessage.status).where(
        OutboxMessage.id.in_([inv.message_id for inv in invoices if inv.message_id]))).all()) if invoices else {}
    rules = store.einvoice_rules
    sold: dict[int, int] = {}
    invoiced: dict[int, int] = {}
    missing = []
    counted = issued_count = issued_total = 0
    for sale in sales:
        if sale.payment_status != "paid":
            continue
        invoice = originals.get(sale.id)
        status = statuses.get(invoice.message_id, "pending") if invoice else "none"
        if status == "cancelled":
            continue  # voided before it went: nothing was sold for the tax authority
        counted += 1
        _by_rate(sale, rules, sold)
        if invoice is not None and invoice.number:
            issued_count, issued_total = issued_count + 1, issued_total + invoice.amount
            _by_rate(sale, rules, invoiced)
        else:
            missing.append({"sale_id": sale.id, "number": sale.number, "total": sale.total, "status": status,
                            "message_id": invoice.message_id if invoice else None})
    corrections = [inv for inv in invoices if inv.kind != "original"]
    rates = sorted(set(sold) | set(invoiced))
    by_rate = [{"vat_rate": rate, "sales_amount": sold.get(rate, 0), "invoiced_amount": invoiced.get(rate, 0)}
               for rate in rates]
    return {
        "sales_count": counted,
        "sales_total": sum(sold.values()), "issued_count": issued_count, "issued_total": issued_total,
        "by_vat_rate": by_rate, "missing": missing,
        "corrections": {"count": len(corrections), "issued": sum(1 for c in corrections if c.number),
                        "amount": sum(c.amount for c in corrections if c.number)},
        "balanced": not missing and all(row["sales_amount"] == row["invoiced_amount"] for row in by_rate),
    }


def national_messages(session: Session, store: Store, day: date) -> list[OutboxMessage]:
    """The day's national documents of the store (a cancelled message is no document)."""
    start, end = _day(day)
    return session.execute(select(OutboxMessage).where(
        OutboxMessage.store_id == store.id, OutboxMessage.target == NATIONAL_DRUG_DB,
        OutboxMessage.status != "cancelled", OutboxMessage.created_at >= start, OutboxMessage.created_at < end)
        .order_by(OutboxMessage.id)).scalars().all()


def national_part(session: Session, store: Store, day: date, presence: dict[int, str] | None = None) -> dict:
    """The day's documents against what the national side confirmed: from the sync's recorded answers, or — with
    `presence` (message id → found | absent | not_verifiable | in_progress | unreachable, from asking it now) —
    from the national side itself."""
    local = national_messages(session, store, day)
    confirmed, missing, differing = 0, [], []
    for message in local:
        item = {"document_type": message.document_type, "number": message.document_number, "status": message.status,
                "message_id": message.id, "retryable": message.status in ("rejected", "held")}
        asked = (presence or {}).get(message.id)
        if message.status in WAITING:
            missing.append(item)
        elif message.outcome_unknown:
            differing.append({**item, "reason": "outcome_unknown"})
        elif asked == "absent":
            missing.append({**item, "reason": "absent"})
        elif asked in ("not_verifiable", "in_progress", "unreachable"):
            differing.append({**item, "reason": asked})
        elif asked is None and not message.remote_id:
            differing.append({**item, "reason": "not_verifiable"})
        else:
            confirmed += 1
    return {"local_count": len(local), "confirmed_count": confirmed, "missing": missing, "differing": differing,
            "verified": presence is not None}


def reconcile(session: Session, store: Store, day: date, presence: dict[int, str] | None = None) -> dict:
    return {"store_id": store.id, "date": day, "einvoice": einvoice_part(session, store, day),
            "national": national_part(session, store, day, presence),
            "journal_head": head_of_day(session, store, day)}
