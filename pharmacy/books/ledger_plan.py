"""Which ledger documents dated before a day may be purged, and why the others stay.

Documents go in groups that reference each other: a sale with its void and returns; a transfer with its loss; a
receipt, a goods issue, a stock count and a quarantine/release each alone. A group is purged only when:
- every member and every stock movement it made is dated before the day (a return or void on or after it keeps the
  sale);
- every lot it touched is past its keep-until day (expiry + 1 year, + 2 years for a controlled drug; retention.py);
- nothing about it is outstanding: each national (outbox) message of a member is `sent` or `cancelled`; each
  e-invoice of a sale is issued (none needed is fine); a sale is paid or voided; a transfer arrived or was
  cancelled; a stock count is approved or cancelled; a receipt is not on credit (the supplier's balance reads it);
  each controlled-drug incident it opened has been reported.
Anything else stays with the first reason found. Documents of other types (the v2 opening balance) are never purged.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from ..catalog.models import Product
from ..controlled.models import ControlledIncident
from ..counts.models import APPROVED, CANCELLED, StockCount
from ..einvoices.models import EInvoice
from ..issues.models import GoodsIssue
from ..outbox.models import OutboxMessage
from ..receipts.models import Receipt
from ..sales.models import CustomerReturn, Sale, SaleVoid
from ..stock.models import Movement, StockLot, StockStateChange
from ..transfers.models import IN_TRANSIT, Transfer

FINAL_MESSAGES = ("sent", "cancelled")
# group kind (also the document type its header carries in movements, outbox and the controlled ledger) -> model
GROUPS = {"sale": Sale, "receipt": Receipt, "issue": GoodsIssue, "transfer": Transfer, "stock_count": StockCount,
          "stock_state": StockStateChange}
EINVOICE = "einvoice"  # einvoices/services.EINVOICE: an e-invoice's outbox document type
MEMBERS = {SaleVoid: ("sale_void",), CustomerReturn: ("customer_return", "receipt_void")}


@dataclass
class Group:
    kind: str
    id: int
    number: str
    store_ids: set[int]
    members: list[tuple[str, int]]  # (document type, id) as movements, outbox and the controlled ledger name them
    created: list[datetime] = field(default_factory=list)
    lots: set[int] = field(default_factory=set)

    @property
    def label(self) -> str:
        return f"{self.kind} {self.number}"


@dataclass
class LedgerPlan:
    groups: list[Group] = field(default_factory=list)  # to purge
    kept: list[tuple[str, str]] = field(default_factory=list)  # (document label, why)

    def refs(self) -> set[tuple[str, int]]:
        return {member for group in self.groups for member in group.members}

    def ids(self, kind: str) -> list[int]:
        return sorted(group.id for group in self.groups if group.kind == kind)


def _chunks(items: list, size: int = 500):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _headers(session: Session, cutoff: datetime) -> dict[tuple[str, int], Group]:
    groups: dict[tuple[str, int], Group] = {}
    for kind, model in GROUPS.items():
        for row in session.scalars(select(model).where(model.created_at < cutoff).order_by(model.id)):
            number = getattr(row, "number", None) or f"#{row.id}"
            stores = {row.from_store_id, row.to_store_id} if kind == "transfer" else {row.store_id}
            members = [(kind, row.id)]
            if kind == "transfer":
                members.append(("transfer_loss", row.id))
            groups[(kind, row.id)] = Group(kind, row.id, number, stores, members, [row.created_at])
    sales = [group_id for kind, group_id in groups if kind == "sale"]
    for model, types in MEMBERS.items():
        for chunk in _chunks(sales):
            for row in session.scalars(select(model).where(model.sale_id.in_(chunk))):
                group = groups[("sale", row.sale_id)]
                group.members += [(member, row.id) for member in types]
                group.created.append(row.created_at)
    return groups


def _outstanding(session: Session, groups: dict[tuple[str, int], Group]) -> dict[tuple[str, int], str]:
    """Group key -> why it is not finished (payment, transfer, count, credit, messages, e-invoices, incidents)."""
    why: dict[tuple[str, int], str] = {}
    owner = {member: key for key, group in groups.items() for member in group.members}
    for key, group in groups.items():
        header = session.get(GROUPS[group.kind], group.id)
        if group.kind == "sale" and header.payment_status != "paid" and header.void is None:
            why[key] = "awaiting payment"
        elif group.kind == "transfer" and header.status == IN_TRANSIT:
            why[key] = "still in transit"
        elif group.kind == "stock_count" and header.status not in (APPROVED, CANCELLED):
            why[key] = f"count {header.status}"
        elif group.kind == "receipt" and header.on_credit:
            why[key] = "bought on credit (the supplier's balance reads it)"
    sales = [group.id for group in groups.values() if group.kind == "sale"]
    for chunk in _chunks(sales):
        for invoice in session.scalars(select(EInvoice).where(EInvoice.sale_id.in_(chunk))):
            owner[(EINVOICE, invoice.id)] = ("sale", invoice.sale_id)
            if invoice.issued_at is None:
                why.setdefault(("sale", invoice.sale_id), f"e-invoice #{invoice.id} not issued")
    refs = list(owner)
    for chunk in _chunks(refs):
        stmt = select(OutboxMessage).where(tuple_(OutboxMessage.document_type, OutboxMessage.document_id).in_(chunk),
                                           OutboxMessage.status.not_in(FINAL_MESSAGES))
        for message in session.scalars(stmt):
            why.setdefault(owner[(message.document_type, message.document_id)],
                           f"national message #{message.id} ({message.kind}) is {message.status}")
        stmt = select(ControlledIncident).where(
            tuple_(ControlledIncident.document_type, ControlledIncident.document_id).in_(chunk),
            ControlledIncident.reported_at.is_(None))
        for incident in session.scalars(stmt):
            why.setdefault(owner[(incident.document_type, incident.document_id)],
                           f"controlled-drug incident #{incident.id} not reported")
    return why


def plan_ledger(session: Session, *, cutoff: datetime, today: date, keep_until) -> LedgerPlan:
    """`cutoff`: the UTC instant the purge day starts; `keep_until(expiry, control type)`: retention.keep_until."""
    groups = _headers(session, cutoff)
    owner = {member: key for key, group in groups.items() for member in group.members}
    late: dict[tuple[str, int], str] = {key: "a part of it is dated on or after the purge day"
                                        for key, group in groups.items() if max(group.created) >= cutoff}
    for chunk in _chunks(list(owner)):
        stmt = select(Movement.document_type, Movement.document_id, Movement.stock_lot_id, Movement.created_at).where(
            tuple_(Movement.document_type, Movement.document_id).in_(chunk))
        for document_type, document_id, lot_id, created_at in session.execute(stmt):
            key = owner[(document_type, document_id)]
            groups[key].lots.add(lot_id)
            if created_at >= cutoff:
                late.setdefault(key, "it moves stock on or after the purge day")
    lot_ids = sorted({lot for group in groups.values() for lot in group.lots})
    lots = {}
    for chunk in _chunks(lot_ids):
        stmt = (select(StockLot.id, StockLot.lot, StockLot.expiry, Product.special_control_type)
                .join(Product, Product.id == StockLot.product_id).where(StockLot.id.in_(chunk)))
        lots.update({row.id: row for row in session.execute(stmt)})
    outstanding = _outstanding(session, groups)
    plan = LedgerPlan()
    for key, group in sorted(groups.items(), key=lambda item: (min(item[1].created), item[0])):
        why = late.get(key)
        for lot_id in sorted(group.lots):
            lot = lots[lot_id]
            until = keep_until(lot.expiry, lot.special_control_type or 0)
            if why is None and today < until:
                why = f"lot {lot.lot} (expiry {lot.expiry.isoformat()}) kept until {until.isoformat()}"
        why = why or outstanding.get(key)
        if why:
            plan.kept.append((group.label, why))
        else:
            plan.groups.append(group)
    return plan
