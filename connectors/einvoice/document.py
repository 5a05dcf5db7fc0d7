"""An e-invoice as every provider adapter takes it (plain frozen data), and what a provider answers (`Issued`).

The adapter interface (`Provider`): `create(document)` (an original, an adjustment or a replacement — a correction
carries its `original`), `find(key)` (look up by our client idempotency key before any resend) and `status(key)`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class InvoiceLine:
    code: str
    name: str
    unit: str
    unit_price: int              # VND per unit, VAT included (retail prices)
    quantity: int
    amount: int                  # VND, VAT included, after discounts
    vat_rate: int                # percent; -2: no VAT breakdown (sales invoice, direct method)
    amount_without_tax: int
    tax_amount: int
    discount: int = 0
    increase: bool = True        # a correction's line: adds to (True) or takes from (False) the original


@dataclass(frozen=True)
class OriginalRef:
    number: str
    issued_at: datetime
    template: str
    symbol: str


@dataclass(frozen=True)
class InvoiceDocument:
    key: str                     # our client idempotency key (Viettel transactionUuid), stored before any call
    kind: str                    # original | adjustment | replacement | decrease
    seller_tax_code: str
    seller_name: str
    seller_address: str
    template: str                # 1 VAT invoice, 2 sales invoice
    symbol: str                  # C{YY}M{xx}
    issued_at: datetime
    payment_method: str          # TM (cash) | CK (transfer, card) | TM/CK
    buyer: dict | None           # None: a walk-in buyer who does not take the invoice
    lines: tuple[InvoiceLine, ...]
    total: int                   # VND the invoice stands for (a correction: the change, negative for a decrease)
    original: OriginalRef | None = None
    document_number: str = ""    # the POS document (sale, void, return) it comes from


@dataclass(frozen=True)
class Issued:
    """The provider's record of an invoice: its number, the tax authority's MTT code and the buyer's lookup code."""

    number: str
    mtt_code: str | None
    lookup_code: str | None
    issued_at: datetime | None
    status: int = 200
    body: str = ""


class Provider(Protocol):
    def create(self, document: InvoiceDocument) -> Issued: ...

    def find(self, key: str) -> Issued | None: ...

    def status(self, key: str) -> Issued | None: ...
