"""Quarantine: units of a lot kept apart from sellable stock, and released back, by a movement pair.

The sellable row gives (−n) and the quarantine row of the same lot takes (+n), or the other way round, both
booked to one StockStateChange, so the ledger sum per lot row and per store still equals on-hand."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import InsufficientStock, Invalid, NotFound, msg
from ..stores.models import User
from .models import QUARANTINE, SELLABLE, StockLot, StockStateChange
from .services import DocumentRef, lots_for_update, put_stock, take_lot


def _available(rows: list[StockLot]) -> list[dict]:
    return [{"lot": row.lot, "expiry": row.expiry.isoformat(), "quantity": row.quantity}
            for row in rows if row.quantity]


def move_state(
    session: Session, *, store_id: int, lines: list[dict], to_state: str, actor: User, now: datetime,
    recall_id: int | None = None,
) -> list[StockStateChange]:
    """Each line: product_id, lot, quantity (base units), reason, expiry? (when one lot number has two expiries).

    Quarantine takes from the sellable rows of the lot (expired ones too), release from its quarantine rows."""
    if to_state not in (SELLABLE, QUARANTINE):
        raise Invalid(msg("The state must be sellable or quarantine."), field="state")
    from_state = SELLABLE if to_state == QUARANTINE else QUARANTINE
    if not lines:
        raise Invalid(msg("At least one line is needed."), field="lines")
    changes = []
    for index, line in enumerate(lines):
        reason = (line.get("reason") or "").strip()
        if not reason:
            raise Invalid(msg("A reason is needed."), field=f"lines[{index}].reason")
        if line["quantity"] <= 0:
            raise Invalid(msg("The quantity must be greater than 0."), field=f"lines[{index}].quantity")
        if to_state == SELLABLE:
            from ..recalls.services import refuse_recalled  # recalls build on quarantine: imported when used

            refuse_recalled(session, line["product_id"], line["lot"], field=f"lines[{index}].lot")
        rows = lots_for_update(session, store_id, [line["product_id"]], state=from_state)[line["product_id"]]
        named = [row for row in rows if row.lot == line["lot"]
                 and (line.get("expiry") is None or row.expiry == line["expiry"])]
        if not named:
            missing = msg("Lot %(lot)s has no quarantined stock.", lot=line["lot"]) if from_state == QUARANTINE \
                else msg("Lot %(lot)s has no sellable stock.", lot=line["lot"])
            raise NotFound(missing, field=f"lines[{index}].lot")
        have = sum(row.quantity for row in named)
        if have < line["quantity"]:
            raise InsufficientStock(msg("Lot %(lot)s has only %(have)s, not the %(quantity)s asked.",
                                        lot=line['lot'], have=have, quantity=line['quantity']),
                                    field=f"lines[{index}].quantity", available=_available(named))
        remaining = line["quantity"]
        for row in named:
            take = min(row.quantity, remaining)
            if take:
                changes.append(move_row(session, row, take, to_state, reason, actor=actor, now=now,
                                        recall_id=recall_id))
                remaining -= take
    session.flush()
    return changes


def move_row(session: Session, row: StockLot, quantity: int, to_state: str, reason: str, *, actor: User,
          now: datetime, recall_id: int | None) -> StockStateChange:
    change = StockStateChange(
        store_id=row.store_id, product_id=row.product_id, lot=row.lot, expiry=row.expiry, quantity=quantity,
        to_state=to_state, reason=reason[:500], recall_id=recall_id, user_id=actor.id, created_at=now,
    )
    session.add(change)
    session.flush()
    document = DocumentRef("stock_state", change.id)
    kind = "quarantine" if to_state == QUARANTINE else "release"
    cost = row.unit_cost
    take_lot(session, row, quantity, kind=kind, document=document, actor=actor, now=now)
    put_stock(session, store_id=row.store_id, product_id=row.product_id, lot=row.lot, expiry=row.expiry,
              quantity=quantity, kind=kind, document=document, actor=actor, now=now,
              manufactured=row.manufactured, unit_cost=cost, state=to_state)
    return change


def quarantine_all(session: Session, *, product_id: int, lots: list[str] | None, reason: str, actor: User,
                   now: datetime, recall_id: int | None = None) -> list[StockStateChange]:
    """Every sellable unit of the product (of the named lots, or all lots) in every store, into quarantine."""
    stmt = (select(StockLot).where(StockLot.product_id == product_id, StockLot.state == SELLABLE,
                                   StockLot.quantity > 0)
            .order_by(StockLot.id).with_for_update(of=StockLot))
    if lots is not None:
        stmt = stmt.where(StockLot.lot.in_(lots))
    return [move_row(session, row, row.quantity, QUARANTINE, reason, actor=actor, now=now, recall_id=recall_id)
            for row in session.execute(stmt).scalars().all()]


def quarantined_on(session: Session, *, store_id: int, product_id: int, lot: str,
                   expiry: date | None = None) -> int:
    stmt = select(StockLot.quantity).where(StockLot.store_id == store_id, StockLot.product_id == product_id,
                                           StockLot.lot == lot, StockLot.state == QUARANTINE)
    if expiry is not None:
        stmt = stmt.where(StockLot.expiry == expiry)
    return sum(session.execute(stmt).scalars())
