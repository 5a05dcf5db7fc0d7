"""Recording a sale: FEFO lot allocation, prescription rule, numbering, ledger and outbox in one transaction.

Written for the counter's speed: the cart's products and units in one query, the lots locked in one ordered
statement and allocated in memory, the number taken last (its counter row stays locked until commit), the lines,
allocations and ledger rows inserted one statement each, and the sale left loaded so the answer reads nothing."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from ..catalog.models import Product, ProductUnit
from ..clock import local_date
from ..documents import resolve_lines
from ..errors import Invalid, msg
from ..models_base import insert_all
from ..numbering import next_number
from ..outbox.services import NATIONAL_DRUG_DB, enqueue
from ..prescriptions.dispensing import REPORT_TARGETS, dispense
from ..prescriptions.services import record_prescription
from ..stock.fefo import LotPool
from ..stock.models import StockLot
from ..stock.services import DocumentRef, as_on_hand, lots_for_update, take_lots
from ..stores.models import Store, User
from .daily import add_sale
from .models import PAYMENT_METHODS, Sale, SaleAllocation, SaleLine
from .payment import cash_missing


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
        raise Invalid(msg("A sale needs at least one line."), field="lines")
    if payment_method not in PAYMENT_METHODS:
        raise Invalid(msg("The payment method must be one of: %(choices)s.", choices=", ".join(PAYMENT_METHODS)),
                      field="payment_method")
    resolved = resolve_lines(session, lines)
    for index, (product, _unit) in enumerate(resolved):
        if product.prescription_only and not prescription:
            raise Invalid(msg("%(product)s is a prescription drug: a prescription is needed.", product=product.name),
                          field=f"lines[{index}].product_id")
    total = sum(line["quantity"] * unit.price for line, (_p, unit) in zip(lines, resolved, strict=True))
    if cash_missing(payment_method, amount_tendered, total):
        raise Invalid(msg("The customer gave %(tendered)s ₫, less than %(total)s ₫.", tendered=amount_tendered,
                          total=total),
                      field="amount_tendered")
    recorded = record_prescription(session, prescription, store_id=store.id, actor=actor, now=now) \
        if prescription else None
    plan = _allocate(session, store, lines, resolved, today=local_date(now))
    [sale] = insert_all(session, Sale, [{
        "store_id": store.id, "customer_name": (customer_name or "").strip(), "payment_method": payment_method,
        "amount_tendered": amount_tendered, "total": total, "user_id": actor.id, "created_at": now,
        "prescription_id": recorded.id if recorded else None,
        "number": next_number(session, store_id=store.id, store_code=store.code, series="sale"),
    }])
    _write_lines(session, sale, plan, actor=actor, prescription=recorded)
    take_lots(session, [(lot, quantity) for step in plan for lot, quantity in step.taken], kind="sale",
              document=DocumentRef("sale", sale.id), actor=actor, now=now)
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


@dataclass
class _Step:
    """One cart line as it will be written: what it sells and the (lot row, base units) it takes."""

    line: dict
    product: Product
    unit: ProductUnit
    taken: list[tuple[StockLot, int]]


def _allocate(session: Session, store: Store, lines: list[dict], resolved, *, today) -> list[_Step]:
    """Lock the cart's lots (one statement) and pick them line by line: FEFO, or the named lot."""
    locked = lots_for_update(session, store.id, {product.id for product, _unit in resolved})
    rows = {lot.id: lot for lots in locked.values() for lot in lots}
    pool = LotPool({product_id: as_on_hand(lots) for product_id, lots in locked.items()})
    plan = []
    for index, (line, (product, unit)) in enumerate(zip(lines, resolved, strict=True)):
        picks = pool.take(product.id, line["quantity"] * unit.factor, today=today, lot=line.get("lot"),
                          field=f"lines[{index}].quantity")
        plan.append(_Step(line, product, unit, [(rows[picked.id], quantity) for picked, quantity in picks]))
    return plan


def _write_lines(session: Session, sale: Sale, plan: list[_Step], *, actor: User, prescription) -> None:
    """The lines, then their allocations, each in one statement; the sale keeps them loaded, with what its
    other relationships hold, so answering it reads nothing back."""
    sale_lines = insert_all(session, SaleLine, [
        {"sale_id": sale.id, "product_id": step.product.id, "unit_name": step.unit.name,
         "unit_factor": step.unit.factor, "quantity": step.line["quantity"], "unit_price": step.unit.price,
         "amount": step.line["quantity"] * step.unit.price, "returned_base_quantity": 0}
        for step in plan
    ])
    allocations = insert_all(session, SaleAllocation, [
        {"sale_line_id": sale_line.id, "stock_lot_id": lot.id, "lot": lot.lot, "expiry": lot.expiry,
         "quantity": quantity, "returned_quantity": 0, "unit_cost": lot.unit_cost}
        for sale_line, step in zip(sale_lines, plan, strict=True) for lot, quantity in step.taken
    ])
    taken = iter(allocations)
    for sale_line, step in zip(sale_lines, plan, strict=True):
        set_committed_value(sale_line, "product", step.product)
        set_committed_value(sale_line, "allocations", [next(taken) for _ in step.taken])
        if prescription is None:
            set_committed_value(sale_line, "dispense", None)
    set_committed_value(sale, "lines", sale_lines)
    set_committed_value(sale, "seller", actor)
    set_committed_value(sale, "prescription", prescription)
    set_committed_value(sale, "void", None)
    set_committed_value(sale, "returns", [])
