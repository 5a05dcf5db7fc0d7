"""A sale paid by bank transfer: recorded awaiting payment with a VietQR, settled by the bank feed, by another
payment method, or by an owner by hand (flush only; the edge commits; the clock and actor are parameters)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..einvoices.services import invoice_paid
from ..errors import Conflict, Forbidden, Invalid, msg
from ..outbox.services import enqueue
from ..prescriptions.dispensing import REPORT_KIND, REPORT_TARGETS
from ..sales.models import PAYMENT_METHODS, Sale
from ..sales.payment import cash_missing, report_sale
from ..stores.models import Store, User
from .models import BankNotification
from .vietqr import memos_in, new_memo, vietqr_payload


def awaiting_transfer(store: Store, total: int) -> dict:
    """The payment columns of a new bank-transfer sale: awaiting payment, a fresh memo and its QR payload."""
    if not store.takes_bank_transfers:
        raise Invalid(msg("The store has no bank account (BIN, account number) to receive transfers."),
                      field="payment_method")
    memo = new_memo()
    return {"payment_status": "awaiting_payment", "payment_memo": memo,
            "payment_qr": vietqr_payload(bank_bin=store.bank_bin, bank_account=store.bank_account, amount=total,
                                         memo=memo)}


def _settle(session: Session, sale: Sale, now: datetime, targets: tuple[str, ...]) -> None:
    """Paid: the national messages the sale held back are written now (the invoice, the dispensing reports)."""
    sale.payment_status, sale.paid_at = "paid", now
    session.flush()
    if any(line.product.is_drug for line in sale.lines):
        report_sale(session, sale, now=now)
    invoice_paid(session, sale, now=now)
    if any(line.dispense is not None for line in sale.lines):
        for target in targets:
            enqueue(session, target=target, kind=REPORT_KIND, store_id=sale.store_id, document_type="sale",
                    document_id=sale.id, document_number=sale.number, now=now)


def _locked(session: Session, sale_id: int) -> Sale:
    return session.execute(select(Sale).where(Sale.id == sale_id).with_for_update(of=Sale)).scalar_one()


def settle_otherwise(session: Session, sale: Sale, *, payment_method: str, amount_tendered: int | None = None,
                     now: datetime, confirmed_by: User | None = None,
                     prescription_targets: tuple[str, ...] = REPORT_TARGETS) -> Sale:
    """The customer paid another way (cash, card) while the QR was shown: the sale is paid now. Marking the
    transfer itself received by hand (`bank_transfer`: the feed missed it) needs an owner, kept on the sale."""
    sale = _locked(session, sale.id)
    if sale.void is not None:
        raise Conflict(msg("The sale has been voided."), field="sale_id")
    if sale.payment_status != "awaiting_payment":
        raise Conflict(msg("The sale has already been paid."), field="sale_id")
    if payment_method not in PAYMENT_METHODS:
        raise Invalid(msg("The payment method must be one of: %(choices)s.", choices=", ".join(PAYMENT_METHODS)),
                      field="payment_method")
    if payment_method == "bank_transfer":
        if confirmed_by is None or not confirmed_by.is_owner:
            raise Forbidden(msg("Confirming a bank transfer by hand needs an owner's approval."), field="approval")
        sale.payment_confirmed_by_id = confirmed_by.id
    if cash_missing(payment_method, amount_tendered, sale.total):
        raise Invalid(msg("The customer gave %(tendered)s ₫, less than %(total)s ₫.",
                          tendered=amount_tendered, total=sale.total), field="amount_tendered")
    sale.payment_method, sale.amount_tendered = payment_method, amount_tendered
    _settle(session, sale, now, prescription_targets)
    return sale


def receive_notification(session: Session, body: dict, *, now: datetime,
                         prescription_targets: tuple[str, ...] = REPORT_TARGETS) -> tuple[BankNotification, bool]:
    """Record one bank-feed notification and act on it; (row, new) — a replayed id is not acted on again.

    An incoming transfer whose content carries the memo of a sale awaiting payment, for exactly its total, pays it.
    A wrong amount, an unknown memo, or a sale already paid or voided goes to the reconciliation list."""
    notification_id = str(body["id"])
    known = session.execute(select(BankNotification).where(BankNotification.notification_id == notification_id)
                            ).scalar_one_or_none()
    if known is not None:
        known.attempts += 1
        session.flush()
        return known, False
    row = BankNotification(
        notification_id=notification_id, gateway=body.get("gateway") or "", account_number=body.get("accountNumber")
        or "", content=(body.get("content") or "")[:500], transfer_type=body.get("transferType") or "in",
        amount=body["transferAmount"], reference_code=body.get("referenceCode") or "",
        transaction_date=body.get("transactionDate") or "", received_at=now, raw=body, attempts=1)
    row.outcome = _match(session, row, now, prescription_targets) if row.transfer_type == "in" else "outgoing"
    session.add(row)
    session.flush()
    return row, True


def _match(session: Session, row: BankNotification, now: datetime, targets: tuple[str, ...]) -> str:
    memos = memos_in(row.content)
    sales = session.execute(select(Sale).where(Sale.payment_memo.in_(memos)).with_for_update(of=Sale)).scalars().all() \
        if memos else []
    if not sales:
        return "unknown_memo"
    sale = sales[0]
    row.memo, row.sale_id, row.store_id, row.expected_amount = sale.payment_memo, sale.id, sale.store_id, sale.total
    if sale.payment_status != "awaiting_payment" or sale.void is not None:
        return "late"
    if row.amount != sale.total:
        return "wrong_amount"
    _settle(session, sale, now, targets)
    return "paid"
