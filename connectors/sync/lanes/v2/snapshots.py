"""CSDL Dược v2 snapshots: the legacy snapshots plus v2 unit ids, opening balances, and voids with their lines."""
from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from connectors.csdl_duoc.catalog import valid_gtin
from connectors.documents import (
    DrugInfo,
    OpeningBalanceDoc,
    StockLineDoc,
    V2Unit,
    VoidDoc,
)
from pharmacy.catalog.models import Product
from pharmacy.money import divide_half_up
from pharmacy.outbox.models import OutboxMessage
from pharmacy.sales.models import CustomerReturn, ReturnLine, SaleVoid
from pharmacy.stores.models import OpeningBalance, Store
from pharmacy.stores.opening import OPENING_BALANCE
from pharmacy.transfers.models import Transfer

from ...snapshots import Snapshot, _get, drug_info, facility_for, sale_doc, snapshot_for, transfer_return_doc

OPENING_NOTE = "Tồn đầu kỳ khi bắt đầu báo cáo qua CSDL Dược v2"


def v2_units(product: Product) -> tuple[V2Unit, ...]:
    """The product's units that carry a v2 unit id, each with its first retail GTIN (internal codes left out)."""
    units = []
    for unit in product.units:
        if unit.v2_unit_id:
            gtin = next((b.code for b in unit.barcodes if not b.internal and valid_gtin(b.code)), None)
            units.append(V2Unit(unit.v2_unit_id, unit.name, gtin))
    return tuple(units)


def opening_doc(session: Session, message: OutboxMessage, store: Store) -> Snapshot:
    """The stock per lot recorded when the store switched to v2."""
    opening = _get(session, OpeningBalance, message.document_id)
    lines = tuple(
        StockLineDoc(drug=drug_info(line.product), lot=line.lot, expiry=line.expiry, quantity=line.quantity,
                     unit_price=line.unit_cost, manufactured=line.manufactured)
        for line in opening.lines
    )
    doc = OpeningBalanceDoc(number=opening.number, facility=facility_for(store), as_of=opening.as_of, lines=lines,
                            note=OPENING_NOTE)
    return Snapshot(doc, {line.product.name: line.product_id for line in opening.lines})


def sale_void_doc(session: Session, message: OutboxMessage, store: Store) -> Snapshot:
    """A void as v2 needs it: the sale's lines less what customers had already brought back (reported apart)."""
    void = _get(session, SaleVoid, message.document_id)
    sale = void.sale
    base = sale_doc(session, sale, facility_for(store))
    returned = _returned(session, sale.id)
    lines = []
    for line, doc_line in zip(sale.lines, base.doc.lines, strict=True):
        left = [(lot, allocation.quantity - returned.get(allocation.id, 0))
                for lot, allocation in zip(doc_line.allocations, line.allocations, strict=True)]
        if all(quantity == lot.quantity for lot, quantity in left):
            lines.append(doc_line)
        elif any(quantity > 0 for _, quantity in left):
            lines.append(replace(  # partly returned: what remains, in the base unit
                doc_line, unit_name=doc_line.drug.base_unit, unit_factor=1,
                unit_price=divide_half_up(line.unit_price, line.unit_factor), quantity=sum(q for _, q in left),
                allocations=tuple(replace(lot, quantity=q) for lot, q in left if q > 0)))
    original = replace(base.doc, lines=tuple(lines))
    doc = VoidDoc(facility=base.doc.facility, document_type="sale", number=sale.number, voided_at=void.created_at,
                  reason=void.reason, original=original)
    return Snapshot(doc, base.product_ids)


def _returned(session: Session, sale_id: int) -> dict[int, int]:
    """Base units brought back per sale allocation, from the customer-return documents themselves."""
    rows = session.execute(
        select(ReturnLine.sale_allocation_id, func.sum(ReturnLine.base_quantity))
        .join(CustomerReturn, CustomerReturn.id == ReturnLine.return_id)
        .where(CustomerReturn.sale_id == sale_id).group_by(ReturnLine.sale_allocation_id))
    return {allocation_id: int(quantity) for allocation_id, quantity in rows}


def v2_snapshot_for(session: Session, message: OutboxMessage) -> Snapshot:
    """The snapshot of a v2-period message, its drugs carrying their v2 units (raises DocumentGone)."""
    store = _get(session, Store, message.store_id)
    if message.document_type == OPENING_BALANCE:
        snapshot = opening_doc(session, message, store)
    elif message.document_type == "sale_void":
        snapshot = sale_void_doc(session, message, store)
    elif message.document_type == "transfer_cancel":
        snapshot = transfer_return_doc(session, _get(session, Transfer, message.document_id), facility_for(store))
    else:  # receipt and issue voids too: the mapping holds them (v2 has no cancellation, a person decides)
        snapshot = snapshot_for(session, message)
    snapshot.doc = with_v2_units(session, snapshot.doc)
    return snapshot


def with_v2_units(session: Session, doc):
    """The document with every drug's v2 units filled in from the products (looked up by their unique v2 id)."""
    if isinstance(doc, VoidDoc) and doc.original is None:
        return doc
    lines = doc.original.lines if isinstance(doc, VoidDoc) else doc.lines
    ids = {line.drug.v2_drug_id for line in lines if line.drug.v2_drug_id}
    if not ids:
        return doc
    products = session.execute(select(Product).where(Product.v2_drug_id.in_(ids))).scalars()
    units = {product.v2_drug_id: v2_units(product) for product in products}

    def fill(drug: DrugInfo) -> DrugInfo:
        return replace(drug, v2_units=units.get(drug.v2_drug_id, ())) if drug.v2_drug_id else drug

    filled = tuple(replace(line, drug=fill(line.drug)) for line in lines)
    if isinstance(doc, VoidDoc):
        return replace(doc, original=replace(doc.original, lines=filled))
    return replace(doc, lines=filled)
