"""Turning outbox rows and the documents they name into connectors/documents.py snapshots, at send time."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from connectors.documents import (
    DrugInfo,
    Facility,
    IssueDoc,
    LotQuantity,
    ReceiptDoc,
    SaleDoc,
    SaleLineDoc,
    StockLineDoc,
    VoidDoc,
)
from pharmacy.catalog.models import Product
from pharmacy.issues.models import GoodsIssue
from pharmacy.money import divide_half_up
from pharmacy.outbox.models import OutboxMessage
from pharmacy.receipts.models import Receipt
from pharmacy.sales.models import CustomerReturn, Sale, SaleVoid
from pharmacy.stock.models import StockLot
from pharmacy.stores.models import Store

VOID_TYPES = ("sale_void", "receipt_void", "issue_void")
# What a cancelled document was, as the national API names it (a customer return is a receipt there).
CANCELLED_AS = {"sale": "sale", "receipt": "receipt", "customer_return": "receipt", "issue": "issue"}


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


def _manufactured(session: Session, stock_lot_ids) -> dict[int, object]:
    ids = {lot_id for lot_id in stock_lot_ids if lot_id is not None}
    if not ids:
        return {}
    rows = session.query(StockLot.id, StockLot.manufactured).filter(StockLot.id.in_(ids))
    return dict(rows.all())


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
    if kind in VOID_TYPES:
        return void_doc(session, message, facility)
    raise ValueError(f"unknown document type {kind!r}")
