"""Copying every stock movement of a controlled product (other than a sale, which books its buyer itself) into the
controlled-drug ledger, with its document's number and counterparty; a loss (count variance, transfer loss) opens
an incident due within 48 hours."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ..catalog.models import Product
from ..counts.models import StockCount
from ..issues.models import GoodsIssue
from ..receipts.models import Receipt
from ..sales.models import CustomerReturn, SaleVoid
from ..stores.models import Store
from ..transfers.models import Transfer
from .models import ControlledEntry, ControlledIncident

REPORT_WITHIN = timedelta(hours=48)
UNBOOKED = ("sale", "quarantine", "release")  # sales book themselves (with the buyer); state changes move nothing
DOCUMENTS = {"receipt": Receipt, "sale_void": SaleVoid, "customer_return": CustomerReturn, "issue": GoodsIssue,
             "transfer": Transfer, "transfer_loss": Transfer, "stock_count": StockCount}


def _counterparty(session: Session, document, store_id: int) -> str:
    if isinstance(document, Receipt):
        return document.supplier_name
    if isinstance(document, GoodsIssue):
        return document.receiver_name
    if isinstance(document, Transfer):
        other = document.to_store_id if document.from_store_id == store_id else document.from_store_id
        store = session.get(Store, other)
        return store.name if store else ""
    if isinstance(document, SaleVoid | CustomerReturn):
        return document.sale.customer_name
    return ""


def book_movements(session: Session, changes: list[tuple], kind: str, document, actor, now: datetime) -> None:
    """`changes`: (stock lot, signed base units) of one document; `document`: its DocumentRef."""
    if kind in UNBOOKED or not changes:
        return
    wanted = {lot.product_id for lot, _quantity in changes}
    classes = dict(session.execute(select(Product.id, Product.special_control_type)
                                   .where(Product.id.in_(wanted), Product.special_control_type != 0)).all())
    if not classes:
        return
    model = DOCUMENTS.get(document.type)
    source = session.get(model, document.id) if model else None
    number = source.number if source is not None else f"{document.type}#{document.id}"
    rows = [{"store_id": lot.store_id, "product_id": lot.product_id, "control_type": classes[lot.product_id],
             "lot": lot.lot, "expiry": lot.expiry, "quantity": quantity, "kind": kind, "document_type": document.type,
             "document_id": document.id, "document_number": number,
             "counterparty": (_counterparty(session, source, lot.store_id) if source is not None else "")[:500],
             "user_id": actor.id, "created_at": now, "buyer_address": "", "buyer_id_number": "",
             "prescription_code": "", "prescription_form": "", "doctor_name": ""}
            for lot, quantity in changes if lot.product_id in classes]
    session.execute(insert(ControlledEntry), rows)
    if kind == "adjustment":
        session.execute(insert(ControlledIncident), [
            {"store_id": row["store_id"], "product_id": row["product_id"], "lot": row["lot"],
             "quantity": row["quantity"], "document_type": document.type, "document_id": document.id,
             "document_number": number, "opened_at": now, "deadline": now + REPORT_WITHIN, "report_note": ""}
            for row in rows])
