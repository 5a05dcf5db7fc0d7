"""Cash at the counter: what is still missing of the total, and the change to give back (pure rules); the
national report of a sale, written when it is paid."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from ..outbox.services import NATIONAL_DRUG_DB, row_write
from .models import Sale

# The payment columns of a sale paid at the counter (cash, card); a bank transfer's come from payments/transfers.py.
PAID_AT_COUNTER = {"payment_status": "paid", "payment_memo": None, "payment_qr": None}


def report_sale(session: Session, sale: Sale, *, now: datetime) -> None:
    """Queue the sale for the national drug database (a paid sale with a drug on it)."""
    session.execute(*report_write(sale, now=now))


def report_write(sale: Sale, *, now: datetime) -> tuple:
    """`report_sale` as (statement, parameters): record_sale hands it to chain_document to ride in its last
    statement."""
    return row_write(target=NATIONAL_DRUG_DB, kind="sale", store_id=sale.store_id, document_type="sale",
                     document_id=sale.id, document_number=sale.number, now=now)


def cash_missing(payment_method: str, amount_tendered: int | None, total: int) -> int:
    """VND still missing when the customer pays cash and the tendered amount is known (else 0)."""
    if payment_method != "cash" or amount_tendered is None:
        return 0
    return max(total - amount_tendered, 0)


def change_due(payment_method: str, amount_tendered: int | None, total: int) -> int:
    """VND to give back for cash tendered over the total (else 0)."""
    if payment_method != "cash" or amount_tendered is None:
        return 0
    return max(amount_tendered - total, 0)
