"""What the sale page, the receipt and the API show of a sale's e-invoice and its corrections."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..outbox.models import OutboxMessage
from .models import EInvoice
from .presets import valid_mtt_code


def _status(invoice: EInvoice, statuses: dict[int, str]) -> str:
    """As the other sync messages; an invoice not queued yet (a transfer awaiting payment) is pending."""
    return statuses.get(invoice.message_id, "pending")


def einvoice_summary(session: Session, sale_id: int) -> dict | None:
    """`{status, symbol, number, mtt_code, lookup_code, issued_at, buyer, corrections: [...]}`, or None when the
    sale has no e-invoice (the store had e-invoices off)."""
    rows = session.execute(select(EInvoice).where(EInvoice.sale_id == sale_id).order_by(EInvoice.id)).scalars().all()
    original = next((row for row in rows if row.kind == "original"), None)
    if original is None:
        return None
    ids = [row.message_id for row in rows if row.message_id]
    statuses = dict(session.execute(select(OutboxMessage.id, OutboxMessage.status)
                                    .where(OutboxMessage.id.in_(ids))).all()) if ids else {}
    return {
        "status": _status(original, statuses), "symbol": original.symbol, "template": original.template,
        "number": original.number, "mtt_code": original.mtt_code if valid_mtt_code(original.mtt_code) else None,
        "lookup_code": original.lookup_code, "issued_at": original.issued_at, "buyer": original.buyer,
        "corrections": [{"kind": row.kind, "number": row.number, "mtt_code": row.mtt_code,
                         "status": _status(row, statuses), "amount": row.amount, "document_number": row.document_number}
                        for row in rows if row.kind != "original"],
    }
