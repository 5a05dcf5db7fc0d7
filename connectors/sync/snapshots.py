"""Turning outbox rows and the documents they name into connectors/documents.py snapshots, at send time."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from connectors.documents import (
    DrugInfo,
    Facility,
    IssueDoc,
    LotQuantity,
    ReceiptDoc,
    SaleDoc,
    SaleLineDoc,
    StockCountLineDoc,
    StockLineDoc,
    StockTakingDoc,
    VoidDoc,
)
from pharmacy.catalog.models import Product
from pharmacy.counts.models import StockCount
from pharmacy.issues.models import GoodsIssue
from pharmacy.money import divide_half_up
from pharmacy.outbox.models import OutboxMessage
from pharmacy.receipts.models import Receipt
from pharmacy.sales.models import CustomerReturn, Sale, SaleVoid
from pharmacy.stock.models import StockLot
from pharmacy.stores.models import Store
from pharmacy.transfers.models import Transfer

VOID_TYPES = ("sale_void", "receipt_void", "issue_void", "transfer_cancel")
# What a cancelled document was, as the national API names it (a customer return is a receipt there).
CANCELLED_AS = {"sale": "sale", "receipt": "receipt", "customer_return": "receipt", "issue": "issue",
                "transfer_out": "issue"}
RETURN_SUFFIX = "-HUY"  # the reference of a cancelled transfer's v2 reversal


class DocumentGone(LookupError):
    """The outbox row names a document that no longer exists."""


@dataclass
class Snapshot:
    """A document ready for a payload builder, with the products it mentions (name -> id) for held problems."""

    doc: SaleDoc | ReceiptDoc | IssueDoc | VoidDoc
    product_ids: dict[str, int] = field(default_factory=dict)
    voided: bool = False  # a sale that has been voided since (sending it would be pointless)


def facility_for(store: Store) -> Facility:
    return Facility(code=store.national_facility_code or "", name=store.name, address=store.address or "",
                    phone=store.phone or "")


def drug_info(product: Product) -> DrugInfo:
    return DrugInfo(
        national_code=product.national_code or None, name=product.name,
        active_ingredient=product.active_ingredient or "", strength=product.strength or "",
        dosage_form=product.dosage_form or "", route=product.route or "", dosage=product.dosage or "",
        registration_no=product.registration_no or "", manufacturer=product.manufacturer or "",
        base_unit=product.base_unit.name, v2_drug_id=product.v2_drug_id,
    )


MANUFACTURED = "pharmacy.sync.manufactured"  # session.info: lot id -> manufacture date, read by `preload`


def _manufactured(session: Session, stock_lot_ids) -> dict[int, object]:
    ids = {lot_id for lot_id in stock_lot_ids if lot_id is not None}
    known = session.info.get(MANUFACTURED, {})
    made = {lot_id: known[lot_id] for lot_id in ids if lot_id in known}
    if ids - made.keys():
        rows = session.query(StockLot.id, StockLot.manufactured).filter(StockLot.id.in_(ids - made.keys()))
        made.update(rows.all())
    return made


def _get(session: Session, model, document_id: int):
    document = session.get(model, document_id)
    if document is None:
        raise DocumentGone(f"{model.__tablename__} #{document_id} not found")
    return document


def sale_doc(session: Session, sale: Sale, facility: Facility) -> Snapshot:
    """The invoice: lot allocations with their manufacture dates; the payload builder drops non-drug lines."""
    made = _manufactured(session, [a.stock_lot_id for line in sale.lines for a in line.allocations])
    lines, products = [], {}
    for line in sale.lines:
        products[line.product.name] = line.product_id
        lots = tuple(LotQuantity(a.lot, a.expiry, a.quantity, made.get(a.stock_lot_id)) for a in line.allocations)
        lines.append(SaleLineDoc(drug=drug_info(line.product), unit_name=line.unit_name,
                                 unit_factor=line.unit_factor, unit_price=line.unit_price, quantity=line.quantity,
                                 allocations=lots, amount=line.amount))
    prescription = sale.prescription
    doc = SaleDoc(
        number=sale.number, facility=facility, sold_at=sale.created_at, seller_name=sale.seller.display_name,
        customer_name=sale.customer_name or None,
        national_prescription_code=prescription.national_code if prescription is not None else None,
        lines=tuple(lines), total=sale.total,
    )
    return Snapshot(doc, products, voided=sale.void is not None)


def receipt_doc(receipt: Receipt, facility: Facility) -> Snapshot:
    """Goods in, in base units at the price per base unit."""
    lines = tuple(
        StockLineDoc(drug=drug_info(line.product), lot=line.lot, expiry=line.expiry, quantity=line.base_quantity,
                     unit_price=divide_half_up(line.unit_price, line.unit_factor), manufactured=line.manufactured)
        for line in receipt.lines
    )
    doc = ReceiptDoc(number=receipt.number, facility=facility, kind=receipt.kind, received_at=receipt.created_at,
                     supplier_name=receipt.supplier_name, note=receipt.note, lines=lines)
    return Snapshot(doc, {line.product.name: line.product_id for line in receipt.lines})


def customer_return_doc(session: Session, returned: CustomerReturn, facility: Facility) -> Snapshot:
    """A customer return is a receipt of type 2, per lot in base units at the price sold per base unit."""
    made = _manufactured(session, [line.stock_lot_id for line in returned.lines])
    lines = tuple(
        StockLineDoc(drug=drug_info(line.sale_line.product), lot=line.lot, expiry=line.expiry,
                     quantity=line.base_quantity,
                     unit_price=divide_half_up(line.sale_line.unit_price, line.sale_line.unit_factor),
                     manufactured=made.get(line.stock_lot_id))
        for line in returned.lines
    )
    note = returned.reason or f"Khách trả hàng hóa đơn {returned.sale.number}"
    doc = ReceiptDoc(number=returned.number, facility=facility, kind="customer_return",
                     received_at=returned.created_at, note=note, lines=lines)
    return Snapshot(doc, {line.sale_line.product.name: line.sale_line.product_id for line in returned.lines})


def issue_doc(session: Session, issue: GoodsIssue, facility: Facility) -> Snapshot:
    """Goods out, in base units at cost per base unit; the note is the reason."""
    made = _manufactured(session, [line.stock_lot_id for line in issue.lines])
    lines = tuple(
        StockLineDoc(drug=drug_info(line.product), lot=line.lot, expiry=line.expiry, quantity=line.base_quantity,
                     unit_price=line.unit_cost, manufactured=made.get(line.stock_lot_id))
        for line in issue.lines
    )
    doc = IssueDoc(number=issue.number, facility=facility, kind=issue.kind, issued_at=issue.created_at,
                   receiver_name=issue.receiver_name, note=issue.note, lines=lines)
    return Snapshot(doc, {line.product.name: line.product_id for line in issue.lines})


def _transfer_lines(session: Session, transfer: Transfer, *, received: bool) -> tuple[StockLineDoc, ...]:
    """Per lot in base units at the source's cost: what was sent, or (received) what arrived."""
    made = _manufactured(session, [a.source_lot_id for line in transfer.lines for a in line.allocations])
    return tuple(
        StockLineDoc(drug=drug_info(line.product), lot=a.lot, expiry=a.expiry,
                     quantity=a.received_quantity if received else a.quantity, unit_price=a.unit_cost,
                     manufactured=a.manufactured or made.get(a.source_lot_id))
        for line in transfer.lines for a in line.allocations if not received or a.received_quantity
    )


def _counterpart(store: Store) -> str:
    code = f" ({store.national_facility_code})" if store.national_facility_code else ""
    return f"{store.name}{code}"


def transfer_out_doc(session: Session, transfer: Transfer, facility: Facility) -> Snapshot:
    """The source's goods out to another store of the chain (legacy phieu_xuat 4, v2 stock-out transfer-out)."""
    note = transfer.note or f"Chuyển kho đến {transfer.to_store.name}"
    doc = IssueDoc(number=transfer.number, facility=facility, kind="transfer_out", issued_at=transfer.created_at,
                   receiver_name=_counterpart(transfer.to_store), note=note,
                   lines=_transfer_lines(session, transfer, received=False))
    # Cancelled since: like a voided sale, it goes nowhere unless it may already have arrived.
    return Snapshot(doc, {line.product.name: line.product_id for line in transfer.lines},
                    voided=transfer.status == "cancelled")


def transfer_in_doc(session: Session, transfer: Transfer, facility: Facility) -> Snapshot:
    """The destination's goods in, as received (legacy phieu_nhap 1 from the sending store, v2 transfer-in)."""
    note = f"Nhận chuyển kho {transfer.number} từ {transfer.from_store.name}"
    if transfer.discrepancy_reason:
        note += f"; thiếu: {transfer.discrepancy_reason}"
    doc = ReceiptDoc(number=transfer.number, facility=facility, kind="transfer_in",
                     received_at=transfer.received_at or transfer.created_at,
                     supplier_name=_counterpart(transfer.from_store), note=note,
                     lines=_transfer_lines(session, transfer, received=True))
    return Snapshot(doc, {line.product.name: line.product_id for line in transfer.lines})


def transfer_return_doc(session: Session, transfer: Transfer, facility: Facility) -> Snapshot:
    """A cancelled transfer as v2 needs it (no deletion there): the goods back in at the source, transfer-in."""
    doc = ReceiptDoc(number=f"{transfer.number}{RETURN_SUFFIX}", facility=facility, kind="transfer_in",
                     received_at=transfer.cancelled_at or transfer.created_at,
                     supplier_name=_counterpart(transfer.to_store),
                     note=f"Hủy phiếu chuyển {transfer.number}: hàng trở về kho",
                     lines=_transfer_lines(session, transfer, received=False))
    return Snapshot(doc, {line.product.name: line.product_id for line in transfer.lines})


def stock_count_doc(session: Session, count: StockCount, facility: Facility) -> Snapshot:
    """An approved count per lot in base units: what the books said at the snapshot, and what was counted (a lot
    counted in both states, sellable and quarantine, is one lot nationally: its two lines are summed)."""
    made = _manufactured(session, [line.stock_lot_id for line in count.lines])
    per_lot: dict[tuple, list] = {}
    for line in count.lines:
        per_lot.setdefault((line.product_id, line.lot, line.expiry), []).append(line)
    lines = tuple(
        StockCountLineDoc(drug=drug_info(same[0].product), lot=lot, expiry=expiry,
                          system_quantity=sum(line.expected for line in same),
                          actual_quantity=sum(line.counted or 0 for line in same),
                          manufactured=next((made[line.stock_lot_id] for line in same
                                             if made.get(line.stock_lot_id)), None))
        for (_product, lot, expiry), same in per_lot.items()
    )
    doc = StockTakingDoc(number=count.number, facility=facility, counted_at=count.approved_at or count.created_at,
                         note=f"Kiểm kê {count.number}", lines=lines)
    return Snapshot(doc, {line.product.name: line.product_id for line in count.lines})


def void_doc(session: Session, message: OutboxMessage, facility: Facility) -> Snapshot:
    """The cancellation of the document the void depends on (legacy API: a DELETE of its number)."""
    original = message.depends_on
    if original is not None:
        kind, number = CANCELLED_AS[original.document_type], original.document_number
    else:
        void = _get(session, SaleVoid, message.document_id)
        kind, number = "sale", void.sale.number
    reason = ""
    if message.document_type == "sale_void":
        void = session.get(SaleVoid, message.document_id)
        reason = void.reason if void is not None else ""
    return Snapshot(VoidDoc(facility=facility, document_type=kind, number=number, reason=reason))


MODELS = {"sale": Sale, "receipt": Receipt, "customer_return": CustomerReturn, "issue": GoodsIssue,
          "stock_count": StockCount, "transfer_out": Transfer, "transfer_in": Transfer}


def preload(session: Session, messages: list[OutboxMessage]) -> list:
    """The stores and documents of a claimed batch in one query per kind (their eager relationships batched too),
    so planning each message finds them in the session instead of reading one document at a time. Keep the
    returned list while planning: the session holds its objects only as long as someone does."""
    loaded: list = []
    wanted: dict[type, set[int]] = {Store: {message.store_id for message in messages}}
    for message in messages:
        model = MODELS.get(message.document_type)
        if model is not None:
            wanted.setdefault(model, set()).add(message.document_id)
    for model, ids in wanted.items():
        loaded += session.execute(select(model).where(model.id.in_(sorted(ids)))).unique().scalars().all()
    lots = {a.stock_lot_id for sale in loaded if isinstance(sale, Sale) for line in sale.lines
            for a in line.allocations if a.stock_lot_id is not None}
    if lots:
        session.info[MANUFACTURED] = dict(session.execute(
            select(StockLot.id, StockLot.manufactured).where(StockLot.id.in_(sorted(lots)))).all())
    return loaded


def snapshot_for(session: Session, message: OutboxMessage) -> Snapshot:
    """The snapshot of the document an outbox message names, read now (raises DocumentGone)."""
    facility = facility_for(_get(session, Store, message.store_id))
    kind = message.document_type
    if kind == "sale":
        return sale_doc(session, _get(session, Sale, message.document_id), facility)
    if kind == "receipt":
        return receipt_doc(_get(session, Receipt, message.document_id), facility)
    if kind == "customer_return":
        return customer_return_doc(session, _get(session, CustomerReturn, message.document_id), facility)
    if kind == "issue":
        return issue_doc(session, _get(session, GoodsIssue, message.document_id), facility)
    if kind == "stock_count":
        return stock_count_doc(session, _get(session, StockCount, message.document_id), facility)
    if kind == "transfer_out":
        return transfer_out_doc(session, _get(session, Transfer, message.document_id), facility)
    if kind == "transfer_in":
        return transfer_in_doc(session, _get(session, Transfer, message.document_id), facility)
    if kind in VOID_TYPES:
        return void_doc(session, message, facility)
    raise ValueError(f"unknown document type {kind!r}")
