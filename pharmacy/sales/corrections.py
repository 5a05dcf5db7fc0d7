"""Correcting a recorded sale: a void (the whole sale) or a customer return (some units), each a document."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..audit.chain import chain_document
from ..documents import no_such_unit
from ..einvoices.services import correct_return, correct_void
from ..errors import Conflict, Invalid, msg
from ..money import divide_half_up
from ..numbering import next_number
from ..outbox.services import NATIONAL_DRUG_DB, enqueue, message_for
from ..recalls.services import quarantine_if_recalled
from ..shifts.services import require_open_shift
from ..stock.models import QUARANTINE, SELLABLE, StockLot
from ..stock.quarantine import move_row
from ..stock.services import DocumentRef, return_lot
from ..stores.models import Store, User
from ..wording import record_text
from .daily import deduct_return, deduct_void
from .models import CustomerReturn, ReturnLine, Sale, SaleAllocation, SaleLine, SaleVoid


def _locked_lines(session: Session, sale: Sale, line_ids: set[int] | None = None) -> dict[int, SaleLine]:
    """The sale's lines and their allocations, re-read under a row lock (PostgreSQL; SQLite holds the write lock).

    Voids and returns of one sale lock the same rows, so they run one after the other and each sees what the
    previous one did: no over-return, no return after a void.
    """
    stmt = select(SaleLine).where(SaleLine.sale_id == sale.id).order_by(SaleLine.id)
    if line_ids is not None:
        stmt = stmt.where(SaleLine.id.in_(line_ids))
    stmt = stmt.with_for_update(of=SaleLine).execution_options(populate_existing=True)
    lines = {line.id: line for line in session.execute(stmt).scalars()}
    if lines:
        allocations = (
            select(SaleAllocation)
            .where(SaleAllocation.sale_line_id.in_(lines))
            .order_by(SaleAllocation.id)
            .with_for_update(of=SaleAllocation)
            .execution_options(populate_existing=True)
        )
        session.execute(allocations).scalars().all()
    return lines


def _refuse_if_voided(session: Session, sale: Sale) -> None:
    """Checked after the lock: a void committed meanwhile is visible now."""
    void = session.execute(select(SaleVoid).where(SaleVoid.sale_id == sale.id)).scalars().first()
    if void is not None:
        raise Conflict(msg("Sale %(number)s was voided (%(void)s): it can no longer be voided or returned.",
                           number=sale.number, void=void.number), field="sale_id")


def _store(session: Session, sale: Sale) -> Store:
    return session.get(Store, sale.store_id)


def void_sale(session: Session, *, sale: Sale, reason: str, actor: User, now: datetime) -> SaleVoid:
    """Cancel a whole sale: every unit not already returned goes back to the lot it came from."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(msg("Write why the sale is voided."), field="reason")
    lines = _locked_lines(session, sale)
    _refuse_if_voided(session, sale)
    store = _store(session, sale)
    require_open_shift(session, store, actor)
    void = SaleVoid(
        sale_id=sale.id, store_id=sale.store_id, reason=reason, user_id=actor.id, created_at=now,
        number=next_number(session, store_id=store.id, store_code=store.code, series="void"),
    )
    try:
        with session.begin_nested():
            session.add(void)
            session.flush()
    except IntegrityError as exc:  # the unique sale_id: a concurrent void won
        raise Conflict(msg("Sale %(number)s was just voided on another computer.", number=sale.number),
                       field="sale_id") from exc
    document = DocumentRef("sale_void", void.id)
    for line in lines.values():
        for allocation in line.allocations:
            back = allocation.quantity - allocation.returned_quantity
            if back > 0:
                lot = session.get(StockLot, allocation.stock_lot_id)
                return_lot(session, lot, back, kind="void", document=document, actor=actor, now=now)
                quarantine_if_recalled(session, lot, back, actor=actor, now=now)
    session.flush()
    sale_message = message_for(session, target=NATIONAL_DRUG_DB, document_type="sale", document_id=sale.id)
    if sale_message is not None:
        enqueue(
            session, target=NATIONAL_DRUG_DB, kind="sale_void", store_id=sale.store_id, document_type="sale_void",
            document_id=void.id, document_number=void.number, now=now, depends_on=sale_message,
        )
    if store.national_api == "legacy":  # v2 voids report only what was not returned: nothing to cancel there
        _cancel_returns(session, sale, void, now)
    correct_void(session, sale, void, now=now)
    # the store's chain head, then the daily row: the order every document takes them (sales/daily.py)
    chain_document(session, "void", void, store_id=void.store_id, now=now)  # audit: the hash chain
    deduct_void(session, sale, void)
    session.expire(sale, ["void"])
    return void


def _cancel_returns(session: Session, sale: Sale, void: SaleVoid, now: datetime) -> None:
    """Deleting the invoice nationally erases the whole sale, so the receipts of its earlier customer returns must go
    too, or the national stock would count the returned units twice (a receipt never sent is simply cancelled)."""
    returns = session.execute(select(CustomerReturn).where(CustomerReturn.sale_id == sale.id)).scalars()
    for returned in returns:
        message = message_for(session, target=NATIONAL_DRUG_DB, document_type="customer_return",
                              document_id=returned.id)
        if message is not None:
            enqueue(
                session, target=NATIONAL_DRUG_DB, kind="receipt_void", store_id=sale.store_id,
                document_type="receipt_void", document_id=returned.id,
                document_number=f"{void.number}/{returned.number}", now=now, depends_on=message,
            )


def _base_quantity(line: SaleLine, item: dict, index: int) -> int:
    unit_name = item.get("unit")
    if unit_name is None:
        return item["quantity"] * line.unit_factor
    unit = line.product.unit_named(unit_name)
    if unit is None:
        names = ", ".join(u.name for u in line.product.units)
        raise Invalid(no_such_unit(line.product.name, unit_name, names),
                      field=f"lines[{index}].unit")
    return item["quantity"] * unit.factor


def _pieces(line: SaleLine, needed: int, lot: str | None, index: int) -> list[tuple[SaleAllocation, int]]:
    """Which allocations take the units back: the named lot, else the latest-expiring first."""
    allocations = list(line.allocations)
    if lot is not None:
        allocations = [a for a in allocations if a.lot == lot]
        if not allocations:
            sold = ", ".join(sorted({a.lot for a in line.allocations}))
            raise Invalid(msg("This line was not sold from lot %(lot)s (sold from: %(sold)s).", lot=lot, sold=sold),
                          field=f"lines[{index}].lot")
    allocations.sort(key=lambda a: (a.expiry, a.id), reverse=True)
    pieces, remaining = [], needed
    for allocation in allocations:
        take = min(allocation.quantity - allocation.returned_quantity, remaining)
        if take > 0:
            pieces.append((allocation, take))
            remaining -= take
    if remaining:
        left, base_unit = needed - remaining, line.product.base_unit.name
        values = {"line": index + 1, "product": line.product.name, "left": left, "unit": base_unit, "lot": lot}
        raise Conflict(
            msg("Line %(line)s (%(product)s): only %(left)s %(unit)s can still come back from lot %(lot)s.", **values)
            if lot else msg("Line %(line)s (%(product)s): only %(left)s %(unit)s can still come back.", **values),
            field=f"lines[{index}].quantity",
            returnable={"sale_line_id": line.id, "base_quantity": left, "base_unit": base_unit},
        )
    return pieces


def line_refund(line: SaleLine, already: int, quantity: int) -> int:
    """VND back for `quantity` more base units: the line amount pro rata, rounded half up on the running total.

    Rounding the cumulative share (not each piece) means the refunds of a line never exceed its amount and add
    up to exactly the amount once everything is back.
    """
    total = line.base_quantity
    return divide_half_up(line.amount * (already + quantity), total) - divide_half_up(line.amount * already, total)


def _take_back(session: Session, store: Store, lot: StockLot, quantity: int, document: CustomerReturn, *,
               actor: User, now: datetime) -> str:
    """Returned units go back on the lot they were sold from, then on to quarantine (a recalled lot always; any
    lot by the store's default) so they are checked before anyone sells them again. The state they end in."""
    return_lot(session, lot, quantity, kind="return", document=DocumentRef("customer_return", document.id),
               actor=actor, now=now)
    if quarantine_if_recalled(session, lot, quantity, actor=actor, now=now):
        return QUARANTINE
    if store.returns_to_quarantine:
        reason = record_text(msg("Returned by a customer (return %(number)s)", number=document.number))
        move_row(session, lot, quantity, QUARANTINE, reason, actor=actor, now=now, recall_id=None)
        return QUARANTINE
    return SELLABLE


def record_return(
    session: Session, *, sale: Sale, lines: list[dict], actor: User, now: datetime, reason: str = ""
) -> CustomerReturn:
    """Take goods back from a sale. Each line: sale_line_id, quantity (in the line's unit unless `unit`), lot?."""
    if not lines:
        raise Invalid(msg("A return needs at least one line."), field="lines")
    locked = _locked_lines(session, sale, {item["sale_line_id"] for item in lines})
    _refuse_if_voided(session, sale)
    for index, item in enumerate(lines):
        if item["sale_line_id"] not in locked:
            raise Invalid(msg("Line #%(line)s is not on sale %(number)s.",
                              line=item["sale_line_id"], number=sale.number),
                          field=f"lines[{index}].sale_line_id")
    store = _store(session, sale)
    require_open_shift(session, store, actor)
    document = CustomerReturn(
        sale_id=sale.id, store_id=sale.store_id, reason=(reason or "").strip(), refund_total=0, user_id=actor.id,
        created_at=now, number=next_number(session, store_id=store.id, store_code=store.code, series="return"),
    )
    session.add(document)
    session.flush()
    for index, item in enumerate(lines):
        line = locked[item["sale_line_id"]]
        needed = _base_quantity(line, item, index)
        for allocation, quantity in _pieces(line, needed, item.get("lot"), index):
            refund = line_refund(line, line.returned_base_quantity, quantity)
            lot = session.get(StockLot, allocation.stock_lot_id)
            state = _take_back(session, store, lot, quantity, document, actor=actor, now=now)
            allocation.returned_quantity += quantity
            line.returned_base_quantity += quantity
            document.lines.append(ReturnLine(
                sale_line_id=line.id, sale_allocation_id=allocation.id, stock_lot_id=lot.id, lot=allocation.lot,
                expiry=allocation.expiry, base_quantity=quantity, refund=refund, state=state,
            ))
            document.refund_total += refund
    session.flush()
    if any(locked[item["sale_line_id"]].product.is_drug for item in lines):
        enqueue(
            session, target=NATIONAL_DRUG_DB, kind="receipt", store_id=sale.store_id,
            document_type="customer_return", document_id=document.id, document_number=document.number, now=now,
        )
    correct_return(session, sale, document, now=now)
    chain_document(session, "return", document, store_id=document.store_id, now=now)  # audit: the hash chain
    deduct_return(session, sale, document)  # after the chain head, as every document (sales/daily.py)
    return document
