"""Recording a sale: FEFO lot allocation, prescription rule, numbering, ledger and outbox in one transaction.

Written for the counter's speed: the cart's products and units in one query, the lots locked in one ordered
statement and allocated in memory, the lines, allocations and ledger rows inserted one statement each, the number
taken after them (its counter row stays locked until commit, so a store's sales queue only for their last writes),
and the sale left loaded so the answer reads nothing."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from ..audit.chain import chain_document, head_write, number_and_advance, number_and_chain
from ..catalog.store_prices import loaded_store_prices, unit_price
from ..clock import local_date
from ..controlled.counter import controlled_sale, paper_prescribed_quantity
from ..customers.services import get_customer
from ..database import is_postgresql
from ..documents import resolve_lines
from ..einvoices.services import invoice_sale
from ..errors import Invalid, msg
from ..models_base import Level, insert_family
from ..numbering import provisional_number
from ..payments.transfers import awaiting_transfer
from ..prescriptions.dispensing import REPORT_TARGETS, dispense
from ..prescriptions.services import record_prescription
from ..shifts.services import require_open_shift
from ..stock.picking import Take, take_plan
from ..stock.services import DocumentRef, take_lots
from ..stores.models import Store, User
from .daily import sale_write
from .directions import with_directions
from .discounts import LinePrice, check_discount_limit, price_lines
from .models import PAYMENT_METHODS, Sale, SaleAllocation, SaleLine
from .payment import PAID_AT_COUNTER, cash_missing, report_write


def record_sale(
    session: Session,
    *,
    store: Store,
    lines: list[dict],
    actor: User,
    now: datetime,
    customer_name: str = "",
    customer_id: int | None = None,
    payment_method: str = "cash",
    amount_tendered: int | None = None,
    discount_amount: int = 0,
    discount_reason: str = "",
    discount_approved_by: User | None = None,
    prescription: dict | None = None,
    prescription_targets: tuple[str, ...] = REPORT_TARGETS,
    buyer: dict | None = None,
) -> Sale:
    """Sell. Each line: product_id, unit, quantity (in that unit), lot? (draw only from that lot), and against a
    prescription prescription_line_id? and substitution_reason?; `prescription_targets` get dispensing reports.

    A `customer_id` names the sale after the customer unless `customer_name` is given. A bank transfer is recorded
    awaiting payment with a VietQR payload; its national message is written when the bank confirms it.
    Lines may carry discount_percent or discount_amount; `discount_amount` is the cart's (with a reason); above the
    store's ceiling for pharmacists they need `discount_approved_by` (an owner whose password the edge checked)."""
    if not lines:
        raise Invalid(msg("A sale needs at least one line."), field="lines")
    if payment_method not in PAYMENT_METHODS:
        raise Invalid(msg("The payment method must be one of: %(choices)s.", choices=", ".join(PAYMENT_METHODS)),
                      field="payment_method")
    require_open_shift(session, store, actor)
    resolved = resolve_lines(session, lines, store_id=store.id)
    lines = with_directions(lines, resolved)
    for index, (product, _unit) in enumerate(resolved):
        if product.prescription_only and not prescription:
            raise Invalid(msg("%(product)s is a prescription drug: a prescription is needed.", product=product.name),
                          field=f"lines[{index}].product_id")
    in_store = loaded_store_prices(unit for _p, unit in resolved)
    unit_prices = [unit_price(unit, in_store) for _p, unit in resolved]
    prices = price_lines(lines, [line["quantity"] * price for line, price in zip(lines, unit_prices, strict=True)],
                         discount_amount)
    check_discount_limit(prices, max_percent=None if actor.is_owner else store.pharmacist_max_discount_percent,
                         approved=discount_approved_by is not None and discount_approved_by.is_owner)
    if any(price.discount or price.cart_share for price in prices) and not (discount_reason or "").strip():
        raise Invalid(msg("A discount needs a reason."), field="discount_reason")
    total = sum(price.net for price in prices)
    if cash_missing(payment_method, amount_tendered, total):
        raise Invalid(msg("The customer gave %(tendered)s ₫, less than %(total)s ₫.", tendered=amount_tendered,
                          total=total),
                      field="amount_tendered")
    if customer_id is not None:
        customer_name = customer_name or get_customer(session, customer_id).name
    payment = awaiting_transfer(store, total) if payment_method == "bank_transfer" else PAID_AT_COUNTER
    recorded = record_prescription(session, prescription, store_id=store.id, actor=actor, now=now) \
        if prescription else None
    plan = take_plan(session, store.id, lines, resolved, today=local_date(now))
    sale = _write_sale(session, {
        "store_id": store.id, "customer_name": (customer_name or "").strip(), "customer_id": customer_id,
        "payment_method": payment_method, **payment, "amount_tendered": amount_tendered, "total": total,
        "user_id": actor.id, "created_at": now, "discount_amount": discount_amount,
        "discount_reason": (discount_reason or "").strip(),
        "discount_approved_by_id": discount_approved_by.id if discount_approved_by else None,
        "prescription_id": recorded.id if recorded else None,
        "number": provisional_number("sale"),  # the real one is taken last, below
    }, plan, prices, unit_prices, actor=actor, prescription=recorded)
    # PostgreSQL: the store's chain head is made sure of with the lots, so that a sale whose last writes need no
    # number in Python (no prescription, controlled drug or e-invoice) is numbered and chained in one statement.
    in_one = is_postgresql(session)
    take_lots(session, [(lot, quantity) for step in plan for lot, quantity in step.taken], kind="sale",
              document=DocumentRef("sale", sale.id), actor=actor, now=now,
              then=[head_write(store.id, now)] if in_one else ())
    plain = recorded is None and store.einvoice_provider is None \
        and not any(product.special_control_type for product, _unit in resolved)
    # The store's serial section starts here: its counter row, its chain head and the seller's daily row, locked
    # until commit and taken in that order by every document; on PostgreSQL the daily row and the national report
    # ride in the chain's last statement.
    if in_one and plain:
        invoice_sale(session, store, sale, now=now)  # none: it tells the answer so
        number_and_chain(session, Sale.__table__, "sale", sale, store_id=store.id, store_code=store.code,
                         series="sale", now=now, then=_last_writes(session, sale, resolved, now))
        return sale
    advanced = number_and_advance(session, Sale.__table__, sale, store_id=store.id, store_code=store.code,
                                  series="sale", now=now)
    if recorded is not None:
        dispense(session, sale=sale, prescription=recorded, lines=lines, actor=actor, now=now,
                 targets=prescription_targets if sale.payment_status == "paid" else ())  # else: when paid
    controlled_sale(session, sale, store=store, actor=actor, prescription=recorded, buyer=buyer, lines=lines,
                    now=now)  # controlled drugs: the rules (buyer, form, approval) and their ledger rows
    invoice_sale(session, store, sale, now=now)  # the tax e-invoice, when the store issues them
    chain_document(session, "sale", sale, store_id=store.id, now=now,
                   then=_last_writes(session, sale, resolved, now), advanced=advanced)
    return sale


def _last_writes(session: Session, sale: Sale, resolved: list, now: datetime) -> list:
    """What rides in the sale's chain statement: its daily totals (sales/daily.py) and, paid with a drug on it, its
    national report."""
    then = [sale_write(session, sale)]
    if sale.payment_status == "paid" and any(product.is_drug for product, _unit in resolved):
        then.append(report_write(sale, now=now))
    return then


def _write_sale(session: Session, row: dict, plan: list[Take], prices: list[LinePrice], unit_prices: list[int],
                *, actor: User, prescription) -> Sale:
    """The sale, its lines and their allocations (one statement on PostgreSQL); the sale keeps them loaded, with
    what its other relationships hold, so answering it reads nothing back."""
    lines = [
        {"product_id": step.product.id, "unit_name": step.unit.name, "unit_factor": step.unit.factor,
         "quantity": step.line["quantity"], "unit_price": each, "amount": price.net, "discount_amount": price.discount,
         "cart_discount_share": price.cart_share, "returned_base_quantity": 0,
         "directions": step.line.get("directions"), "directions_text": step.line.get("directions_text"),
         "prescribed_quantity": paper_prescribed_quantity(prescription, step.product, step.line)}
        for step, price, each in zip(plan, prices, unit_prices, strict=True)
    ]
    allocations = [{"stock_lot_id": lot.id, "lot": lot.lot, "expiry": lot.expiry, "quantity": quantity,
                    "returned_quantity": 0, "unit_cost": lot.unit_cost}
                   for step in plan for lot, quantity in step.taken]
    [sale], sale_lines, allocations = insert_family(session, [
        Level(Sale, [row]), Level(SaleLine, lines, "sale_id", [0] * len(lines)),
        Level(SaleAllocation, allocations, "sale_line_id",
              [index for index, step in enumerate(plan) for _taken in step.taken])])
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
    return sale
