"""The canonical content of each chained document: the fields that never change once it is written, as one
string, the same whether built from the objects just written or from rows read back by the verification."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime

from ..counts.models import StockCount
from ..issues.models import GoodsIssue
from ..receipts.models import Receipt
from ..sales.models import CustomerReturn, Sale, SaleVoid
from ..transfers.models import Transfer
from .models import PriceChange, StorePriceChange


@dataclass(frozen=True)
class Shape:
    """A document kind: its model, header fields, and (relationship, fields[, (relationship, fields)]) below."""

    model: type
    fields: tuple[str, ...]
    lines: tuple = ()


_SALE_LINE = ("product_id", "unit_name", "unit_factor", "quantity", "unit_price", "amount", "discount_amount")
_ALLOCATION = ("stock_lot_id", "lot", "expiry", "quantity", "unit_cost")
_TRANSFER_LINE = ("product_id", "unit_name", "unit_factor", "quantity")
_TRANSFER_SENT = ("source_lot_id", "lot", "expiry", "quantity", "unit_cost")

SHAPES: dict[str, Shape] = {
    "sale": Shape(Sale, ("number", "store_id", "user_id", "created_at", "total", "discount_amount",
                         "payment_method", "customer_name", "prescription_id"),
                  ("lines", _SALE_LINE, ("allocations", _ALLOCATION))),
    "void": Shape(SaleVoid, ("number", "store_id", "sale_id", "reason", "user_id", "created_at")),
    "return": Shape(CustomerReturn, ("number", "store_id", "sale_id", "refund_total", "user_id", "created_at"),
                    ("lines", ("sale_allocation_id", "stock_lot_id", "lot", "expiry", "base_quantity", "refund"))),
    "receipt": Shape(Receipt, ("number", "store_id", "kind", "supplier_id", "supplier_invoice_number", "user_id",
                               "created_at"),
                     ("lines", ("product_id", "stock_lot_id", "unit_name", "unit_factor", "quantity",
                                "base_quantity", "lot", "expiry", "unit_price"))),
    "issue": Shape(GoodsIssue, ("number", "store_id", "kind", "receiver_name", "user_id", "created_at"),
                   ("lines", ("product_id", "stock_lot_id", "unit_name", "quantity", "base_quantity", "lot",
                              "expiry"))),
    "transfer_out": Shape(Transfer, ("number", "from_store_id", "to_store_id", "user_id", "created_at"),
                          ("lines", _TRANSFER_LINE, ("allocations", _TRANSFER_SENT))),
    "transfer_in": Shape(Transfer, ("number", "from_store_id", "to_store_id", "received_by_id", "received_at"),
                         ("lines", _TRANSFER_LINE,
                          ("allocations", _TRANSFER_SENT + ("received_quantity", "destination_lot_id")))),
    "transfer_cancel": Shape(Transfer, ("number", "from_store_id", "to_store_id", "cancelled_by_id",
                                        "cancelled_at"),
                             ("lines", _TRANSFER_LINE, ("allocations", _TRANSFER_SENT))),
    "adjustment": Shape(StockCount, ("number", "store_id", "approved_by_id", "approved_at"),
                        ("lines", ("product_id", "stock_lot_id", "lot", "expiry", "expected", "counted",
                                   "adjusted"))),
    "price": Shape(PriceChange, ("product_unit_id", "product_id", "unit_name", "old_price", "new_price", "user_id",
                                 "created_at")),
    "store_price": Shape(StorePriceChange, ("store_id", "product_unit_id", "product_id", "unit_name", "old_price",
                                            "new_price", "user_id", "created_at")),
}
# Kinds whose store's every document from the chain's start must have an entry (an inserted row is found).
INSERT_CHECKED = {"sale": "store_id", "void": "store_id", "return": "store_id", "receipt": "store_id",
                  "issue": "store_id", "transfer_out": "from_store_id"}


def _value(value):
    if isinstance(value, datetime):
        value = value if value.tzinfo else value.replace(tzinfo=UTC)
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _rows(objects, spec) -> list:
    name, fields, *below = spec
    rows = []
    for obj in getattr(objects, name):
        row = [_value(getattr(obj, field)) for field in fields]
        if below:
            row.append(_rows(obj, below[0]))
        rows.append(row)
    return rows


def canonical(kind: str, document) -> str:
    shape = SHAPES[kind]
    content = [kind, [_value(getattr(document, field)) for field in shape.fields]]
    if shape.lines:
        content.append(_rows(document, shape.lines))
    return json.dumps(content, ensure_ascii=False, separators=(",", ":"))


def canonical_around(kind: str, document) -> tuple[str, str]:
    """The canonical content of a document still under its provisional number, before and after that number's
    JSON (its first field): a statement that takes the real number rebuilds the content around it."""
    before, after = canonical(kind, document).split(json.dumps(document.number, ensure_ascii=False), 1)
    return before, after


def content_hash(kind: str, document) -> str:
    return hashlib.sha256(canonical(kind, document).encode()).hexdigest()


def entry_hash(*, store_id: int, seq: int, kind: str, document_id: int, number: str, content: str,
               prev: str) -> str:
    text = f"{store_id}|{seq}|{kind}|{document_id}|{number}|{content}|{prev}"
    return hashlib.sha256(text.encode()).hexdigest()
