"""The sandbox provider's memory: every invoice created (a resent key is a second invoice, as a provider that
does not de-duplicate would make it), numbering per seller and series, tokens and a log of calls. Thread-safe."""
from __future__ import annotations

import hashlib
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timezone

BASE36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def authority_code(tax_code: str) -> str:
    """The 5 characters the tax authority issued to a seller (the sandbox derives them from the tax code)."""
    value = int(hashlib.sha1(tax_code.encode()).hexdigest(), 16)
    return "".join(BASE36[(value >> (6 * i)) % 36] for i in range(5))


@dataclass(frozen=True)
class StoredInvoice:
    key: str
    seller: str
    series: str
    template: str
    sequence: int
    number: str
    mtt_code: str
    lookup_code: str
    issued_ms: int
    adjustment_type: str
    original_number: str | None
    total: int
    payload: dict

    def record(self) -> dict:
        return {"invoiceNo": self.number, "codeOfTax": self.mtt_code, "reservationCode": self.lookup_code,
                "issueDate": self.issued_ms, "transactionUuid": self.key, "invoiceSeries": self.series,
                "templateCode": self.template, "adjustmentType": self.adjustment_type,
                "originalInvoiceId": self.original_number, "totalAmountWithTax": self.total}


class ProviderState:
    def __init__(self):
        self._lock = threading.Lock()
        self._invoices: list[StoredInvoice] = []
        self._tokens: set[str] = set()
        self.logins = 0
        self.calls: list[tuple[str, str, int | str]] = []

    def invoices(self, seller: str | None = None) -> list[StoredInvoice]:
        with self._lock:
            return [inv for inv in self._invoices if seller is None or inv.seller == seller]

    def count(self, key: str) -> int:
        return sum(inv.key == key for inv in self.invoices())

    def find(self, seller: str, key: str) -> list[StoredInvoice]:
        return [inv for inv in self.invoices(seller) if inv.key == key]

    def by_number(self, seller: str, number: str) -> StoredInvoice | None:
        return next((inv for inv in self.invoices(seller) if inv.number == number), None)

    def issue(self, *, key: str, seller: str, series: str, template: str, issued_ms: int, adjustment_type: str,
              original_number: str | None, total: int, payload: dict) -> StoredInvoice | str:
        """Number and store an invoice; a string (the problem) when its date runs before the series' last one."""
        with self._lock:
            same = [inv for inv in self._invoices if (inv.seller, inv.series, inv.template) == (seller, series,
                                                                                                 template)]
            if same and issued_ms < same[-1].issued_ms:
                return "Ngày lập hóa đơn không được nhỏ hơn ngày lập của hóa đơn trước trong cùng ký hiệu."
            sequence = len(same) + 1
            year = datetime.fromtimestamp(issued_ms / 1000, tz=timezone.utc).year % 100
            mtt = f"M1-{year:02d}-{authority_code(seller)}-{len(self._invoices) + 1:011d}"
            invoice = StoredInvoice(key, seller, series, template, sequence, f"{series}{sequence}", mtt,
                                    secrets.token_hex(6).upper(), issued_ms, adjustment_type, original_number,
                                    total, payload)
            self._invoices.append(invoice)
            return invoice

    def issue_token(self) -> str:
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._tokens.add(token)
            self.logins += 1
        return token

    def valid(self, token: str | None) -> bool:
        with self._lock:
            return bool(token) and token in self._tokens

    def forget_tokens(self) -> None:
        with self._lock:
            self._tokens.clear()

    def record_call(self, method: str, path: str, outcome: int | str) -> None:
        with self._lock:
            self.calls.append((method, path, outcome))
