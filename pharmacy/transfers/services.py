"""Transfers between stores: stock leaves the source at dispatch (FEFO or a named lot) and enters the destination
in the same lots at the same cost when received; a shortfall on arrival is booked as a loss; a transfer still in
transit can be cancelled, its stock going back to the source lots. Ledger and outbox in the same transaction."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit.chain import chain_document
from ..clock import local_date
from ..documents import resolve_lines
from ..errors import Conflict, Invalid, msg
from ..numbering import next_number
from ..outbox.services import NATIONAL_DRUG_DB, enqueue, message_for
from ..recalls.services import blocking, quarantine_if_recalled, recalls_by_product
from ..stock.models import QUARANTINE, SELLABLE
from ..stock.picking import take_plan
from ..stock.services import DocumentRef, lots_for_update, put_stock, return_lot, take_lot, take_lots
from ..stores.models import Store, User
from ..stores.services import require_store_access
from ..wording import record_text
from .models import CANCELLED, DISCREPANCY, IN_TRANSIT, RECEIVED, Transfer, TransferAllocation, TransferLine

TRANSFER_OUT, TRANSFER_IN, TRANSFER_CANCEL = "transfer_out", "transfer_in", "transfer_cancel"  # outbox types
LOSS_DOCUMENT = "transfer_loss"


def dispatch_transfer(
    session: Session, *, source: Store, destination: Store, lines: list[dict], actor: User, now: datetime,
    note: str = "",
) -> Transfer:
    """Send stock. Each line: product_id, unit, quantity (in that unit), lot? (only that lot, else FEFO)."""
    require_store_access(actor, source.id, field="from_store_id")
    if destination.id == source.id:
        raise Invalid(msg("The receiving store must differ from the sending store."), field="to_store_id")
    if not destination.active:
        raise Invalid(msg("Store %(store)s is closed.", store=destination.name), field="to_store_id")
    if not lines:
        raise Invalid(msg("A transfer needs at least one line."), field="lines")
    resolved = resolve_lines(session, lines)
    plan = take_plan(session, source.id, lines, resolved, today=local_date(now))
    transfer = Transfer(
        from_store_id=source.id, to_store_id=destination.id, status=IN_TRANSIT, note=(note or "").strip(),
        user_id=actor.id, created_at=now,
        number=next_number(session, store_id=source.id, store_code=source.code, series="transfer"),
    )
    session.add(transfer)
    for take in plan:
        transfer.lines.append(TransferLine(
            product_id=take.product.id, unit_name=take.unit.name, unit_factor=take.unit.factor,
            quantity=take.line["quantity"],
            allocations=[TransferAllocation(source_lot_id=lot.id, lot=lot.lot, expiry=lot.expiry,
                                            manufactured=lot.manufactured, quantity=quantity,
                                            unit_cost=lot.unit_cost) for lot, quantity in take.taken],
        ))
    session.flush()
    take_lots(session, [(lot, quantity) for take in plan for lot, quantity in take.taken], kind="transfer",
              document=DocumentRef("transfer", transfer.id), actor=actor, now=now)
    if any(take.product.is_drug for take in plan):
        enqueue(session, target=NATIONAL_DRUG_DB, kind=TRANSFER_OUT, store_id=source.id, document_type=TRANSFER_OUT,
                document_id=transfer.id, document_number=transfer.number, now=now)
    chain_document(session, "transfer_out", transfer, store_id=source.id, now=now)  # audit: the hash chain
    return transfer


def lock_transfer(session: Session, transfer_id: int) -> Transfer | None:
    """The transfer row-locked (PostgreSQL), read afresh: two receipts or a receipt and a cancel queue here."""
    stmt = select(Transfer).where(Transfer.id == transfer_id).with_for_update(of=Transfer)
    return session.execute(stmt.execution_options(populate_existing=True)).scalars().first()


def _require_in_transit(transfer: Transfer) -> None:
    if transfer.status != IN_TRANSIT:
        done = msg("Transfer %(number)s has been cancelled.", number=transfer.number) if transfer.status == CANCELLED \
            else msg("Transfer %(number)s has already been received.", number=transfer.number)
        raise Conflict(done, field="status")


def _arrivals(transfer: Transfer, lines: list[dict]) -> dict[int, int]:
    """Base units arrived per allocation id, from the received lines (quantity in the transfer line's unit)."""
    by_id = {line.id: line for line in transfer.lines}
    arrived = {allocation.id: 0 for line in transfer.lines for allocation in line.allocations}
    seen = set()
    for index, item in enumerate(lines):
        line = by_id.get(item["transfer_line_id"])
        if line is None:
            raise Invalid(msg("Line #%(line)s is not part of transfer %(number)s.",
                              line=item['transfer_line_id'], number=transfer.number),
                          field=f"lines[{index}].transfer_line_id")
        if (line.id, item["lot"]) in seen:
            raise Invalid(msg("Lot %(lot)s of this line is entered twice.",
                              lot=item['lot']), field=f"lines[{index}].lot")
        seen.add((line.id, item["lot"]))
        allocations = [allocation for allocation in line.allocations if allocation.lot == item["lot"]]
        if not allocations:
            sent = ", ".join(sorted({allocation.lot for allocation in line.allocations}))
            raise Invalid(msg("This line did not carry lot %(lot)s (carried: %(sent)s).",
                              lot=item['lot'], sent=sent), field=f"lines[{index}].lot")
        if item["quantity"] < 0:
            raise Invalid(msg("The received quantity cannot be negative."), field=f"lines[{index}].quantity")
        remaining = item["quantity"] * _factor(line, item.get("unit"), index)
        sent = sum(allocation.quantity for allocation in allocations)
        if remaining > sent:
            raise Invalid(msg("Receiving %(quantity)s %(unit)s of lot %(lot)s, more than was sent (%(sent)s).",
                              quantity=remaining, unit=line.product.base_unit.name, lot=item['lot'], sent=sent),
                          field=f"lines[{index}].quantity")
        for allocation in allocations:
            arrived[allocation.id] = min(allocation.quantity, remaining)
            remaining -= arrived[allocation.id]
    return arrived


def _factor(line: TransferLine, unit_name: str | None, index: int) -> int:
    """The factor of the unit a received quantity is given in: the line's own, or another unit of the product (a
    lot that holds part of a box is counted in the base unit)."""
    if unit_name is None or unit_name == line.unit_name:
        return line.unit_factor
    unit = line.product.unit_named(unit_name)
    if unit is None:
        names = ", ".join(u.name for u in line.product.units)
        raise Invalid(msg("%(product)s has no unit \"%(unit)s\" (it has: %(units)s).",
                          product=line.product.name, unit=unit_name, units=names),
                      field=f"lines[{index}].unit")
    return unit.factor


def receive_transfer(
    session: Session, transfer: Transfer, *, lines: list[dict], actor: User, now: datetime, reason: str = "",
) -> Transfer:
    """Take in what arrived: each line names transfer_line_id, lot and quantity (in the line's unit, or in `unit`
    when given: a lot holding part of a box is counted in the base unit); lots not
    named did not arrive. The destination gets the lots sent (same expiry and cost); what is missing is booked as a
    loss there (an `adjustment` movement of the `transfer_loss` document) with the reason."""
    require_store_access(actor, transfer.to_store_id, field="to_store_id")
    _require_in_transit(transfer)
    arrived = _arrivals(transfer, lines)
    # The destination's lots of these products locked in id order first, as a sale there locks them: no deadlock.
    lots_for_update(session, transfer.to_store_id, {line.product_id for line in transfer.lines}, state=None)
    document = DocumentRef("transfer", transfer.id)
    recalls = recalls_by_product(session, {line.product_id for line in transfer.lines})
    losses = []
    for line in transfer.lines:
        for allocation in line.allocations:
            # A lot recalled while on the road arrives into quarantine: recalled goods never become sellable.
            recalled = blocking(recalls.get(line.product_id, []), allocation.lot) is not None
            lot = put_stock(
                session, store_id=transfer.to_store_id, product_id=line.product_id, lot=allocation.lot,
                expiry=allocation.expiry, quantity=allocation.quantity, kind="transfer", document=document,
                actor=actor, now=now, manufactured=allocation.manufactured, unit_cost=allocation.unit_cost,
                state=QUARANTINE if recalled else SELLABLE,
            )
            allocation.destination_lot_id = lot.id
            allocation.received_quantity = arrived[allocation.id]
            if allocation.lost_quantity:
                losses.append((lot, allocation.lost_quantity))
    for lot, quantity in losses:
        take_lot(session, lot, quantity, kind="adjustment", document=DocumentRef(LOSS_DOCUMENT, transfer.id),
                 actor=actor, now=now)
    transfer.status = DISCREPANCY if losses else RECEIVED
    transfer.discrepancy_reason = ((reason or "").strip() or record_text(msg("Lost in transit"))) if losses else ""
    transfer.received_by_id, transfer.received_at = actor.id, now
    session.flush()
    reported = any(line.product.is_drug and any(a.received_quantity for a in line.allocations)
                   for line in transfer.lines)
    if reported:
        enqueue(session, target=NATIONAL_DRUG_DB, kind=TRANSFER_IN, store_id=transfer.to_store_id,
                document_type=TRANSFER_IN, document_id=transfer.id, document_number=transfer.number, now=now)
    chain_document(session, "transfer_in", transfer, store_id=transfer.to_store_id, now=now)  # audit: the chain
    return transfer


def cancel_transfer(session: Session, transfer: Transfer, *, actor: User, now: datetime) -> Transfer:
    """Call back a transfer still in transit: its stock returns to the source lots it left; the national
    transfer-out is cancelled with it (never sent: nothing goes out; sent: it is deleted or reversed)."""
    require_store_access(actor, transfer.from_store_id, field="from_store_id")
    _require_in_transit(transfer)
    document = DocumentRef("transfer", transfer.id)
    locked = lots_for_update(session, transfer.from_store_id, {line.product_id for line in transfer.lines})
    rows = {lot.id: lot for lots in locked.values() for lot in lots}
    for line in transfer.lines:
        for allocation in line.allocations:
            lot = rows[allocation.source_lot_id]
            return_lot(session, lot, allocation.quantity, kind="transfer", document=document, actor=actor, now=now)
            quarantine_if_recalled(session, lot, allocation.quantity, actor=actor, now=now)
    transfer.status, transfer.cancelled_by_id, transfer.cancelled_at = CANCELLED, actor.id, now
    session.flush()
    sent = message_for(session, target=NATIONAL_DRUG_DB, document_type=TRANSFER_OUT, document_id=transfer.id)
    if sent is not None:
        enqueue(session, target=NATIONAL_DRUG_DB, kind=TRANSFER_CANCEL, store_id=transfer.from_store_id,
                document_type=TRANSFER_CANCEL, document_id=transfer.id, document_number=transfer.number, now=now,
                depends_on=sent)
    chain_document(session, "transfer_cancel", transfer, store_id=transfer.from_store_id, now=now)  # audit
    return transfer
