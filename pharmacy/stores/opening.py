"""Switching a store's national API: the opening balance (stock per lot) that starts its CSDL Dược v2 record."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import Conflict, msg
from ..outbox.models import OutboxMessage
from ..outbox.services import NATIONAL_DRUG_DB, enqueue
from ..stock.models import StockLot
from .models import OpeningBalance, OpeningBalanceLine, Store

OPENING_BALANCE = "opening_balance"  # the outbox kind and document type
NUMBER_PREFIX = "TDK"                # tồn đầu kỳ
REACHED_V2 = ("sending", "awaiting_result", "sent")


def v2_boundary(store_id):
    """SQL: the id of the store's latest opening-balance message (0 when none). The store's messages from this id on
    belong to its v2 period; older ones were written for the legacy API and are still sent there."""
    return (select(func.coalesce(func.max(OpeningBalance.message_id), 0))
            .where(OpeningBalance.store_id == store_id).scalar_subquery())


def on_national_api_change(session: Session, store: Store, previous: str | None, *, now: datetime) -> None:
    """Called by save_store after a change: to v2 queues the opening balance, back to legacy undoes it if it can."""
    if store.national_api == previous:
        return
    if store.national_api == "v2":
        queue_opening_balance(session, store, now=now)
    elif previous == "v2":
        leave_v2(session, store, now=now)


def queue_opening_balance(session: Session, store: Store, *, now: datetime) -> OpeningBalance:
    """Record the stock on hand per lot now and queue it as the store's first v2 document.

    The lots are row-locked (PostgreSQL) so a sale in flight either finishes before (its stock change is in the
    balance and its message, written earlier, goes to the legacy API) or starts after (and goes to v2).
    """
    lots = session.execute(
        select(StockLot).where(StockLot.store_id == store.id, StockLot.quantity > 0)
        .order_by(StockLot.product_id, StockLot.expiry, StockLot.id).with_for_update(of=StockLot)
    ).scalars().all()
    count = session.execute(
        select(func.count()).select_from(OpeningBalance).where(OpeningBalance.store_id == store.id)
    ).scalar_one()
    opening = OpeningBalance(store_id=store.id, number=f"{NUMBER_PREFIX}-{store.code}-{count + 1:06d}", as_of=now,
                             created_at=now)
    opening.lines = [
        OpeningBalanceLine(product_id=lot.product_id, stock_lot_id=lot.id, lot=lot.lot, expiry=lot.expiry,
                           manufactured=lot.manufactured, quantity=lot.quantity, unit_cost=lot.unit_cost)
        for lot in lots
    ]
    session.add(opening)
    session.flush()
    message = enqueue(session, target=NATIONAL_DRUG_DB, kind=OPENING_BALANCE, store_id=store.id,
                      document_type=OPENING_BALANCE, document_id=opening.id, document_number=opening.number, now=now)
    opening.message_id = message.id
    session.flush()
    return opening


def v2_messages(session: Session, store: Store) -> list[OutboxMessage]:
    """The store's national messages of its current v2 period, oldest first."""
    return list(session.execute(
        select(OutboxMessage).where(OutboxMessage.store_id == store.id, OutboxMessage.target == NATIONAL_DRUG_DB,
                                    OutboxMessage.id >= v2_boundary(store.id), v2_boundary(store.id) > 0)
        .order_by(OutboxMessage.id)
    ).scalars())


def leave_v2(session: Session, store: Store, *, now: datetime) -> None:
    """Back to the legacy API, allowed only while nothing of the v2 period has (or may have) reached v2: the
    unsent opening balance is cancelled and the period's other documents go to the legacy API instead."""
    messages = v2_messages(session, store)
    reached = [m for m in messages if m.status in REACHED_V2 or m.outcome_unknown]
    if reached:
        raise Conflict(msg("The store sent %(number)s to CSDL Dược v2: it cannot go back to the legacy API.",
                           number=reached[0].document_number),
                       field="national_api")
    for message in messages:
        if message.document_type == OPENING_BALANCE and message.status != "cancelled":
            message.status, message.updated_at = "cancelled", now
            message.last_error = "the store went back to the legacy API before the opening balance was sent"
    session.flush()
