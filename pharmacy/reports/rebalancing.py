"""Rebalancing suggestions: lots that will expire in one store before its own sales can use them up, and the
stores that sell the product fast enough to take the surplus in time.

Velocity is the net base units sold per day over the last 30 days (sales less voids and returns, from the
ledger), kept as an exact fraction so no rounding decides a suggestion. FEFO sells a store's earlier-expiring
lots first, so what a store can sell of a lot before it expires is velocity × days left − what expires before it.
A target takes at most what it can sell before the expiry on top of its own stock expiring no later than the lot.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..catalog.categories import category_product_ids
from ..stock.models import Movement, StockLot

VELOCITY_DAYS = 30


@dataclass(frozen=True)
class Lot:
    store_id: int
    product_id: int
    lot: str
    expiry: date
    quantity: int


def _days_to_sell(units: int, velocity) -> int | None:
    return math.ceil(units / velocity) if velocity > 0 else None


def suggest(lots: list[Lot], velocity: dict[tuple[int, int], Fraction], *, today: date,
            within_days: int) -> list[dict]:
    """Pure: the suggestions for lots on hand (unexpired) given per (store, product) daily velocities."""
    by_product: dict[int, list[Lot]] = defaultdict(list)
    for lot in lots:
        if lot.quantity > 0 and lot.expiry >= today:
            by_product[lot.product_id].append(lot)
    suggestions = []
    for product_id, product_lots in sorted(by_product.items()):
        product_lots.sort(key=lambda lot: (lot.expiry, lot.store_id, lot.lot))
        planned: dict[int, int] = defaultdict(int)  # units already sent to a target store
        for lot in product_lots:
            if lot.expiry > today + timedelta(days=within_days):
                continue
            days_left = (lot.expiry - today).days
            ahead = sum(o.quantity for o in product_lots
                        if o.store_id == lot.store_id and (o.expiry, o.lot) < (lot.expiry, lot.lot))
            speed = velocity.get((lot.store_id, product_id), 0)
            surplus = lot.quantity - max(0, math.floor(speed * days_left) - ahead)
            if surplus <= 0:
                continue
            targets = sorted(((v, s) for (s, p), v in velocity.items()
                              if p == product_id and s != lot.store_id and v > speed), reverse=True)
            for target_speed, target in targets:
                own = sum(o.quantity for o in product_lots if o.store_id == target and o.expiry <= lot.expiry)
                room = math.floor(target_speed * days_left) - own - planned[target]
                quantity = min(surplus, room)
                if quantity <= 0:
                    continue
                planned[target] += quantity
                surplus -= quantity
                suggestions.append({
                    "product_id": product_id, "lot": lot.lot, "expiry": lot.expiry, "from_store_id": lot.store_id,
                    "to_store_id": target, "quantity": quantity,
                    "days_to_sell_at_source": _days_to_sell(ahead + lot.quantity, speed),
                    "days_to_sell_at_target": _days_to_sell(own + planned[target], target_speed),
                })
                if surplus <= 0:
                    break
    return suggestions


def velocities(session: Session, store_ids: list[int] | None, now: datetime) -> dict[tuple[int, int], Fraction]:
    """Net base units sold per day over the last 30 days, per (store, product), from the ledger."""
    stmt = (select(Movement.store_id, Movement.product_id, func.sum(Movement.quantity))
            .where(Movement.kind.in_(("sale", "void", "return")),
                   Movement.created_at >= now - timedelta(days=VELOCITY_DAYS))
            .group_by(Movement.store_id, Movement.product_id))
    if store_ids is not None:
        stmt = stmt.where(Movement.store_id.in_(store_ids))
    return {(s, p): Fraction(-int(total), VELOCITY_DAYS)
            for s, p, total in session.execute(stmt) if total and total < 0}


def rebalancing(session: Session, *, store_ids: list[int] | None, today: date, now: datetime,
                within_days: int, category_id: int | None = None) -> list[dict]:
    speeds = velocities(session, store_ids, now)
    products = {product_id for _store, product_id in speeds}
    stmt = select(StockLot).where(StockLot.quantity > 0, StockLot.expiry >= today)
    if store_ids is not None:
        stmt = stmt.where(StockLot.store_id.in_(store_ids))
    if not products:
        return []
    stmt = stmt.where(StockLot.product_id.in_(products))
    if category_id is not None:
        stmt = stmt.where(StockLot.product_id.in_(category_product_ids(category_id)))
    lots = [Lot(r.store_id, r.product_id, r.lot, r.expiry, r.quantity) for r in session.execute(stmt).scalars()]
    return suggest(lots, speeds, today=today, within_days=within_days)
