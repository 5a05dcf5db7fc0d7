"""Recording a sale: FEFO lot allocation, prescription rule, numbering, ledger and outbox in one transaction."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from ..clock import local_date
from ..documents import resolve_line
from ..errors import Invalid
from ..numbering import next_number
from ..outbox.services import NATIONAL_DRUG_DB, enqueue
from ..prescriptions.dispensing import REPORT_TARGETS, dispense
from ..prescriptions.services import record_prescription
from ..stock.fefo import pick_lots
from ..stock.services import DocumentRef, as_on_hand, lots_for_update, take_lot
from ..stores.models import Store, User
from .daily import add_sale
from .models import PAYMENT_METHODS, Sale, SaleAllocation, SaleLine


def record_sale(
    session: Session,
    *,
    store: Store,
    lines: list[dict],
    actor: User,
    now: datetime,
    customer_name: str = "",
    payment_method: str = "cash",
    amount_tendered: int | None = None,
    prescription: dict | None = None,
    prescription_targets: tuple[str, ...] = REPORT_TARGETS,
) -> Sale:
    """Sell. Each line: product_id, unit, quantity (in that unit), lot? (draw only from that lot), and against a
    prescription prescription_line_id? and substitution_reason?; `prescription_targets` get dispensing reports."""
    if not lines:
        raise Invalid("Hóa đơn cần ít nhất một dòng.", field="lines")
    if payment_method not in PAYMENT_METHODS:
        raise Invalid(f"Hình thức thanh toán phải là một trong: {', '.join(PAYMENT_METHODS)}.", field="payment_method")
    resolved = [resolve_line(session, line, index) for index, line in enumerate(lines)]
    for index, (product, _unit) in enumerate(resolved):
        if product.prescription_only and not prescription:
            raise Invalid(f"{product.name} là thuốc kê đơn: cần đơn thuốc.", field=f"lines[{index}].product_id")
    total = sum(line["quantity"] * unit.price for line, (_p, unit) in zip(lines, resolved))
    if payment_method == "cash" and amount_tendered is not None and amount_tendered < total:
        raise Invalid(f"Khách đưa {amount_tendered} ₫, chưa đủ {total} ₫.", field="amount_tendered")
    sale = Sale(
        store_id=store.id, customer_name=(customer_name or "").strip(), payment_method=payment_method,
        amount_tendered=amount_tendered, total=total, user_id=actor.id, created_at=now,
        number=next_number(session, store_id=store.id, store_code=store.code, series="sale"),
    )
    recorded = record_prescription(session, prescription, store_id=store.id, actor=actor, now=now) \
        if prescription else None
    sale.prescription_id = recorded.id if recorded else None
    session.add(sale)
    session.flush()
    today = local_date(now)
    document = DocumentRef("sale", sale.id)
    for index, (line, (product, unit)) in enumerate(zip(lines, resolved)):
        sale_line = SaleLine(
            product_id=product.id, unit_name=unit.name, unit_factor=unit.factor, quantity=line["quantity"],
            unit_price=unit.price, amount=line["quantity"] * unit.price,
        )
        sale.lines.append(sale_line)
        session.flush()
        lots = lots_for_update(session, store.id, product.id)
        by_id = {lot.id: lot for lot in lots}
        picks = pick_lots(
            as_on_hand(lots), line["quantity"] * unit.factor, today=today, lot=line.get("lot"),
            field=f"lines[{index}].quantity",
        )
        for picked, quantity in picks:
            take_lot(session, by_id[picked.id], quantity, kind="sale", document=document, actor=actor, now=now)
            sale_line.allocations.append(
                SaleAllocation(stock_lot_id=picked.id, lot=picked.lot, expiry=picked.expiry, quantity=quantity,
                               unit_cost=by_id[picked.id].unit_cost)
            )
    session.flush()
    if recorded is not None:
        dispense(session, sale=sale, prescription=recorded, lines=lines, actor=actor, now=now,
                 targets=prescription_targets)
    if any(product.is_drug for product, _unit in resolved):
        enqueue(
            session, target=NATIONAL_DRUG_DB, kind="sale", store_id=store.id, document_type="sale",
            document_id=sale.id, document_number=sale.number, now=now,
        )
    add_sale(session, sale)  # last write: the daily totals row (see sales/daily.py)
    return sale
