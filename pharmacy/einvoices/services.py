"""Queueing e-invoices (flush only; the edge commits): one per paid sale, in the sale's own transaction with its
client idempotency key, and the corrections the rules preset asks for — a void becomes an adjustment to zero (or a
replacement), a return a decrease; a sent invoice is never cancelled."""
from __future__ import annotations

import re
import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import Conflict, Invalid, msg
from ..outbox.models import OutboxMessage
from ..outbox.services import enqueue
from ..sales.models import CustomerReturn, Sale, SaleVoid
from ..stores.models import Store
from .models import EInvoice
from .presets import preset

EINVOICE = "einvoice"
BUYER_RULES = {  # field: (pattern, what a person reads when it does not fit)
    "tax_code": (r"^\d{10}(-\d{3})?$", msg("The buyer's tax code has 10 digits (a branch adds -XXX).")),
    "id_number": (r"^\d{12}$", msg("A personal ID number (CCCD) has 12 digits.")),
    "name": (r"^.{1,200}$", msg("The buyer's name has at most 200 characters.")),
    "address": (r"^.{1,500}$", msg("The buyer's address has at most 500 characters.")),
    "email": (r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$", msg("The e-mail address is not valid.")),
    "phone": (r"^0\d{9}$", msg("A phone number has 10 digits and starts with 0.")),
}


def check_buyer(buyer: dict | None) -> dict | None:
    """The buyer's details as the invoice carries them (None: a walk-in buyer). A tax code asks for the name and
    address of the business it belongs to."""
    values = {key: (value or "").strip() for key, value in (buyer or {}).items() if (value or "").strip()}
    for key, value in values.items():
        if key not in BUYER_RULES:
            raise Invalid(msg("There is no buyer detail '%(key)s'.", key=key), field=f"buyer.{key}")
        pattern, text = BUYER_RULES[key]
        if not re.fullmatch(pattern, value):
            raise Invalid(text, field=f"buyer.{key}")
    if values.get("tax_code"):
        for key, text in (("name", msg("An invoice with the buyer's tax code needs the business's name.")),
                          ("address", msg("An invoice with the buyer's tax code needs the business's address."))):
            if not values.get(key):
                raise Invalid(text, field=f"buyer.{key}")
    return values or None


def original_of(session: Session, sale_id: int) -> EInvoice | None:
    return session.execute(select(EInvoice).where(EInvoice.sale_id == sale_id, EInvoice.kind == "original")
                           ).scalar_one_or_none()


def _new(session: Session, store: Store, sale: Sale, *, kind: str, document_type: str, document_id: int,
         document_number: str, amount: int, now: datetime, original: EInvoice | None = None,
         buyer: dict | None = None) -> EInvoice:
    invoice = EInvoice(
        store_id=store.id, sale_id=sale.id, kind=kind, document_type=document_type, document_id=document_id,
        document_number=document_number, original_id=original.id if original else None,
        client_key=str(uuid.uuid4()), provider=original.provider if original else store.einvoice_provider,
        rules=original.rules if original else store.einvoice_rules,
        template=original.template if original else store.einvoice_template,
        symbol=original.symbol if original else store.einvoice_symbol,
        amount=amount, buyer=original.buyer if original else buyer, created_at=now)
    session.add(invoice)
    session.flush()
    return invoice


def _queue(session: Session, invoice: EInvoice, now: datetime, depends_on: OutboxMessage | None = None) -> None:
    """The outbox message that carries the invoice to the provider, in the document's own transaction."""
    message = enqueue(session, target=EINVOICE, kind=invoice.kind, store_id=invoice.store_id,
                      document_type=EINVOICE, document_id=invoice.id, document_number=invoice.document_number,
                      now=now, depends_on=depends_on)
    invoice.message_id = message.id
    session.flush()


def invoice_sale(session: Session, store: Store, sale: Sale, *, now: datetime, buyer: dict | None = None) -> None:
    """The sale's invoice (when the store issues e-invoices), queued at once when paid, else when the bank pays."""
    if store.einvoice_provider is None:
        sale.einvoice_absent = True  # not a column: tells the answer there is nothing to read back
        return
    invoice = _new(session, store, sale, kind="original", document_type="sale", document_id=sale.id,
                   document_number=sale.number, amount=sale.total, now=now, buyer=check_buyer(buyer))
    if sale.payment_status == "paid":
        _queue(session, invoice, now)


def invoice_paid(session: Session, sale: Sale, *, now: datetime) -> None:
    """A bank-transfer sale was paid: its invoice, held back until now, is queued."""
    invoice = original_of(session, sale.id)
    if invoice is not None and invoice.message_id is None:
        _queue(session, invoice, now)


def set_buyer(session: Session, sale: Sale, buyer: dict | None) -> EInvoice:
    """The customer asked for their details on the invoice: only while it has not gone to the provider yet."""
    invoice = original_of(session, sale.id)
    if invoice is None:
        raise Conflict(msg("The store did not issue e-invoices for this sale."), field="buyer")
    message = session.get(OutboxMessage, invoice.message_id) if invoice.message_id else None
    if message is not None and (message.status != "pending" or message.attempts or message.outcome_unknown):
        raise Conflict(msg("The e-invoice has gone to the provider: its buyer can no longer change."),
                       field="buyer")
    invoice.buyer = check_buyer(buyer)
    session.flush()
    return invoice


def _remaining(session: Session, original: EInvoice) -> int:
    """What the original still stands for after its decreases."""
    decreases = session.execute(select(EInvoice.amount).where(EInvoice.original_id == original.id,
                                                               EInvoice.kind == "decrease")).scalars()
    return original.amount + sum(decreases)


def correct_void(session: Session, sale: Sale, void: SaleVoid, *, now: datetime) -> None:
    """A voided sale: an adjustment to zero, or a replacement at zero (per the invoice's rules), linked to the
    original. An invoice never queued (a transfer never paid) needs nothing."""
    original = original_of(session, sale.id)
    if original is None or original.message_id is None:
        return
    store = session.get(Store, sale.store_id)
    kind = preset(original.rules)["void_correction"]
    amount = -_remaining(session, original) if kind == "adjustment" else 0
    invoice = _new(session, store, sale, kind=kind, document_type="sale_void", document_id=void.id,
                   document_number=void.number, amount=amount, now=now, original=original)
    _queue(session, invoice, now, depends_on=session.get(OutboxMessage, original.message_id))


def correct_return(session: Session, sale: Sale, returned: CustomerReturn, *, now: datetime) -> None:
    """Goods brought back: a decrease adjustment for the returned lines, linked to the original."""
    original = original_of(session, sale.id)
    if original is None or original.message_id is None or not returned.refund_total:
        return
    store = session.get(Store, sale.store_id)
    invoice = _new(session, store, sale, kind=preset(original.rules)["return_correction"],
                   document_type="customer_return", document_id=returned.id, document_number=returned.number,
                   amount=-returned.refund_total, now=now, original=original)
    _queue(session, invoice, now, depends_on=session.get(OutboxMessage, original.message_id))
