"""Recording goods receipts: stock goes into lots, the ledger and the outbox in one transaction."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from ..clock import local_date
from ..documents import resolve_line
from ..errors import Invalid, msg
from ..money import divide_half_up
from ..numbering import next_number
from ..outbox.services import NATIONAL_DRUG_DB, enqueue
from ..recalls.services import recall_block, refuse_recalled
from ..stock.fefo import is_expired
from ..stock.models import QUARANTINE, SELLABLE
from ..stock.services import DocumentRef, put_stock
from ..stores.models import Store, User
from ..suppliers.services import check_supplier_invoice, get_supplier
from .models import RECEIPT_KINDS, Receipt, ReceiptLine


def record_receipt(
    session: Session,
    *,
    store: Store,
    kind: str,
    lines: list[dict],
    actor: User,
    now: datetime,
    supplier_name: str = "",
    note: str = "",
    supplier_id: int | None = None,
    supplier_invoice_number: str = "",
    supplier_invoice_date: date | None = None,
    on_credit: bool = False,
) -> Receipt:
    """Goods in. Each line: product_id, unit, quantity, lot, expiry, manufactured?, unit_price (per unit).
    A known supplier (`supplier_id`) names the receipt and, `on_credit`, is owed its total until paid."""
    if kind not in RECEIPT_KINDS:
        raise Invalid(msg("The receipt kind must be one of: %(choices)s.", choices=", ".join(RECEIPT_KINDS)),
                      field="kind")
    supplier = get_supplier(session, supplier_id) if supplier_id is not None else None
    check_supplier_invoice(kind=kind, supplier=supplier, invoice_date=supplier_invoice_date, on_credit=on_credit,
                           today=local_date(now))
    supplier_name = supplier.name if supplier is not None else supplier_name
    if kind == "supplier" and not supplier_name.strip():
        raise Invalid(msg("The supplier name is needed."), field="supplier_name")
    if not lines:
        raise Invalid(msg("A receipt needs at least one line."), field="lines")
    today = local_date(now)
    receipt = Receipt(
        store_id=store.id, kind=kind, supplier_name=supplier_name.strip(), note=note.strip(), user_id=actor.id,
        supplier_id=supplier_id, supplier_invoice_number=(supplier_invoice_number or "").strip(),
        supplier_invoice_date=supplier_invoice_date, on_credit=on_credit, created_at=now,
        number=next_number(session, store_id=store.id, store_code=store.code, series="receipt"),
    )
    session.add(receipt)
    session.flush()
    reportable = False
    for index, line in enumerate(lines):
        product, unit = resolve_line(session, line, index)
        manufactured = line.get("manufactured")
        if manufactured and manufactured > line["expiry"]:
            raise Invalid(msg("The manufacturing date is after the expiry."), field=f"lines[{index}].manufactured")
        if manufactured and manufactured > today:
            raise Invalid(msg("The manufacturing date is in the future."), field=f"lines[{index}].manufactured")
        if kind == "supplier" and is_expired(line["expiry"], today):
            raise Invalid(msg("Lot %(lot)s has expired: it is not received from a supplier.", lot=line["lot"]),
                          field=f"lines[{index}].expiry")
        recalled = recall_block(session, product.id, line["lot"])
        if recalled is not None and kind != "customer_return":  # a customer bringing it back is the recall working
            refuse_recalled(session, product.id, line["lot"], field=f"lines[{index}].lot")
        base_quantity = line["quantity"] * unit.factor
        cost_per_base = divide_half_up(line["unit_price"], unit.factor)
        lot = put_stock(
            session, store_id=store.id, product_id=product.id, lot=line["lot"], expiry=line["expiry"],
            quantity=base_quantity, kind="receipt", document=DocumentRef("receipt", receipt.id), actor=actor,
            now=now, manufactured=manufactured, unit_cost=cost_per_base,
            state=QUARANTINE if recalled is not None else SELLABLE,
        )
        receipt.lines.append(
            ReceiptLine(
                product_id=product.id, stock_lot_id=lot.id, unit_name=unit.name, unit_factor=unit.factor,
                quantity=line["quantity"], base_quantity=base_quantity, lot=line["lot"], expiry=line["expiry"],
                manufactured=manufactured, unit_price=line["unit_price"],
            )
        )
        reportable = reportable or product.is_drug
    session.flush()
    if reportable:
        enqueue(
            session, target=NATIONAL_DRUG_DB, kind="receipt", store_id=store.id, document_type="receipt",
            document_id=receipt.id, document_number=receipt.number, now=now,
        )
    return receipt
