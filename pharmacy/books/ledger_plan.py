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

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from ..catalog.models import Product
from ..controlled.models import ControlledIncident
from ..counts.models import APPROVED, CANCELLED, StockCount, StockCountLine
from ..einvoices.models import EInvoice
from ..issues.models import GoodsIssue
from ..models_base import chunks
from ..outbox.models import OutboxMessage
from ..receipts.models import Receipt
from ..sales.models import CustomerReturn, Sale, SaleVoid
from ..shifts.models import Shift
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
    lots: set[int] = field(default_factory=set)  # stock lot ids its movements touched
    counted: set[tuple[int, str, date]] = field(default_factory=set)  # a count's (product, lot, expiry) lines
    state: object = None  # STATE's column: payment status, on credit, transfer or count status
    voided: bool = False

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


# what the "outstanding" rule reads of each header (one column, loaded with the header's id and date)
STATE = {"sale": Sale.payment_status, "receipt": Receipt.on_credit, "transfer": Transfer.status,
         "stock_count": StockCount.status}


def _headers(session: Session, cutoff: datetime) -> dict[tuple[str, int], Group]:
    """Every document dated before the cutoff, read as plain columns (a year of sales is not loaded as objects)."""
    groups: dict[tuple[str, int], Group] = {}
    for kind, model in GROUPS.items():
        stores = (model.from_store_id, model.to_store_id) if kind == "transfer" else (model.store_id,)
        number = getattr(model, "number", model.id)
        state = STATE.get(kind, model.id)
        stmt = select(model.id, number, model.created_at, state, *stores).where(model.created_at < cutoff)
        for row_id, row_number, created_at, row_state, *row_stores in session.execute(stmt.order_by(model.id)):
            members = [(kind, row_id)]
            if kind == "transfer":
                members.append(("transfer_loss", row_id))
            label = row_number if isinstance(row_number, str) else f"#{row_id}"
            groups[(kind, row_id)] = Group(kind, row_id, label, set(row_stores), members, [created_at],
                                           state=row_state)
    sales = [group_id for kind, group_id in groups if kind == "sale"]
    for model, types in MEMBERS.items():
        for chunk in chunks(sales):
            for row_id, sale_id, created_at in session.execute(
                    select(model.id, model.sale_id, model.created_at).where(model.sale_id.in_(chunk))):
                group = groups[("sale", sale_id)]
                group.members += [(member, row_id) for member in types]
                group.created.append(created_at)
                group.voided = group.voided or model is SaleVoid
    return groups


def _open_shifts(session: Session) -> dict[int, datetime]:
    """Per store, when its oldest shift still open began: a sale after that is in a cash count not yet closed."""
    stmt = select(Shift.store_id, func.min(Shift.opened_at)).where(Shift.closed_at.is_(None)).group_by(
        Shift.store_id)
    return dict(session.execute(stmt).all())


def _outstanding(session: Session, groups: dict[tuple[str, int], Group]) -> dict[tuple[str, int], str]:
    """Group key -> why it is not finished (payment, transfer, count, credit, messages, e-invoices, incidents)."""
    why: dict[tuple[str, int], str] = {}
    owner = {member: key for key, group in groups.items() for member in group.members}
    shifts = _open_shifts(session)
    for key, group in groups.items():
        if group.kind == "sale" and group.state != "paid" and not group.voided:
            why[key] = "awaiting payment"
        elif group.kind == "sale" and any(store in shifts and shifts[store] <= group.created[0]
                                          for store in group.store_ids):
            why[key] = "its cash shift is still open"
        elif group.kind == "transfer" and group.state == IN_TRANSIT:
            why[key] = "still in transit"
        elif group.kind == "stock_count" and group.state not in (APPROVED, CANCELLED):
            why[key] = f"count {group.state}"
        elif group.kind == "receipt" and group.state:
            why[key] = "bought on credit (the supplier's balance reads it)"
    sales = [group.id for group in groups.values() if group.kind == "sale"]
    for chunk in chunks(sales):
        for invoice_id, sale_id, issued_at in session.execute(
                select(EInvoice.id, EInvoice.sale_id, EInvoice.issued_at).where(EInvoice.sale_id.in_(chunk))):
            owner[(EINVOICE, invoice_id)] = ("sale", sale_id)
            if issued_at is None:
                why.setdefault(("sale", sale_id), f"e-invoice #{invoice_id} not issued")
    refs = list(owner)
    for chunk in chunks(refs):
        stmt = select(OutboxMessage.id, OutboxMessage.kind, OutboxMessage.status, OutboxMessage.document_type,
                      OutboxMessage.document_id).where(
            tuple_(OutboxMessage.document_type, OutboxMessage.document_id).in_(chunk),
            OutboxMessage.status.not_in(FINAL_MESSAGES))
        for message_id, kind, status, document_type, document_id in session.execute(stmt):
            why.setdefault(owner[(document_type, document_id)],
                           f"national message #{message_id} ({kind}) is {status}")
        stmt = select(ControlledIncident.id, ControlledIncident.document_type, ControlledIncident.document_id).where(
            tuple_(ControlledIncident.document_type, ControlledIncident.document_id).in_(chunk),
            ControlledIncident.reported_at.is_(None))
        for incident_id, document_type, document_id in session.execute(stmt):
            why.setdefault(owner[(document_type, document_id)],
                           f"controlled-drug incident #{incident_id} not reported")
    return why


def plan_ledger(session: Session, *, cutoff: datetime, today: date, keep_until) -> LedgerPlan:
    """`cutoff`: the UTC instant the purge day starts; `keep_until(expiry, control type)`: retention.keep_until."""
    groups = _headers(session, cutoff)
    owner = {member: key for key, group in groups.items() for member in group.members}
    late: dict[tuple[str, int], str] = {key: "a part of it is dated on or after the purge day"
                                        for key, group in groups.items() if max(group.created) >= cutoff}
    for chunk in chunks(list(owner)):
        stmt = select(Movement.document_type, Movement.document_id, Movement.stock_lot_id, Movement.created_at).where(
            tuple_(Movement.document_type, Movement.document_id).in_(chunk))
        for document_type, document_id, lot_id, created_at in session.execute(stmt):
            key = owner[(document_type, document_id)]
            groups[key].lots.add(lot_id)
            if created_at >= cutoff:
                late.setdefault(key, "it moves stock on or after the purge day")
    counts = [group.id for group in groups.values() if group.kind == "stock_count"]
    for chunk in chunks(counts):  # a count with no variance moved nothing: its lines name its lots
        stmt = select(StockCountLine.count_id, StockCountLine.product_id, StockCountLine.lot,
                      StockCountLine.expiry).where(StockCountLine.count_id.in_(chunk))
        for count_id, product_id, lot, expiry in session.execute(stmt):
            groups[("stock_count", count_id)].counted.add((product_id, lot, expiry))
    controls = dict(session.execute(select(Product.id, Product.special_control_type).where(
        Product.id.in_({product_id for group in groups.values() for product_id, _l, _e in group.counted}))).all())
    lot_ids = sorted({lot for group in groups.values() for lot in group.lots})
    lots = {}
    for chunk in chunks(lot_ids):
        stmt = (select(StockLot.id, StockLot.lot, StockLot.expiry, Product.special_control_type)
                .join(Product, Product.id == StockLot.product_id).where(StockLot.id.in_(chunk)))
        lots.update({row.id: row for row in session.execute(stmt)})
    outstanding = _outstanding(session, groups)
    plan = LedgerPlan()
    for key, group in sorted(groups.items(), key=lambda item: (min(item[1].created), item[0])):
        why = late.get(key)
        named = sorted({(lots[lot_id].lot, lots[lot_id].expiry, lots[lot_id].special_control_type or 0)
                        for lot_id in group.lots}
                       | {(lot, expiry, controls.get(product_id) or 0) for product_id, lot, expiry in group.counted})
        for lot, expiry, control_type in named:
            until = keep_until(expiry, control_type)
            if why is None and today < until:
                why = f"lot {lot} (expiry {expiry.isoformat()}) kept until {until.isoformat()}"
        why = why or outstanding.get(key)
        if why:
            plan.kept.append((group.label, why))
        else:
            plan.groups.append(group)
    return plan
