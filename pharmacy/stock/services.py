"""Stock changes: every one goes through here, updating on-hand and writing its ledger movement."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, joinedload

from ..catalog.models import Product
from ..errors import Conflict
from ..stores.models import User
from .costing import weighted_cost
from .fefo import LotOnHand
from .models import Movement, StockLot, StockSetting


@dataclass(frozen=True)
class DocumentRef:
    """The document a movement belongs to."""

    type: str
    id: int


def lots_for_update(session: Session, store_id: int, product_id: int) -> list[StockLot]:
    """The product's lots in the store, row-locked on PostgreSQL (SQLite holds the write lock already)."""
    stmt = (
        select(StockLot)
        .where(StockLot.store_id == store_id, StockLot.product_id == product_id)
        .order_by(StockLot.expiry, StockLot.id)
        .with_for_update(of=StockLot)
    )
    return list(session.execute(stmt).scalars())


def as_on_hand(lots: list[StockLot]) -> list[LotOnHand]:
    return [LotOnHand(id=lot.id, lot=lot.lot, expiry=lot.expiry, quantity=lot.quantity) for lot in lots]


def _movement(session, lot: StockLot, quantity: int, kind: str, document: DocumentRef, actor: User, now: datetime):
    session.add(
        Movement(
            stock_lot_id=lot.id,
            store_id=lot.store_id,
            product_id=lot.product_id,
            quantity=quantity,
            kind=kind,
            document_type=document.type,
            document_id=document.id,
            user_id=actor.id,
            created_at=now,
        )
    )


def put_stock(
    session: Session,
    *,
    store_id: int,
    product_id: int,
    lot: str,
    expiry: date,
    quantity: int,
    kind: str,
    document: DocumentRef,
    actor: User,
    now: datetime,
    manufactured: date | None = None,
    unit_cost: int | None = None,
) -> StockLot:
    """Add base units to a lot, creating the lot row the first time it is seen."""
    stmt = (
        select(StockLot)
        .where(
            StockLot.store_id == store_id,
            StockLot.product_id == product_id,
            StockLot.lot == lot,
            StockLot.expiry == expiry,
        )
        .with_for_update(of=StockLot)
    )
    row = session.execute(stmt).scalars().first()
    if row is None:
        row = StockLot(
            store_id=store_id, product_id=product_id, lot=lot, expiry=expiry, quantity=0,
            manufactured=manufactured, unit_cost=unit_cost or 0,
        )
        session.add(row)
        session.flush()
    elif manufactured and not row.manufactured:
        row.manufactured = manufactured
    if unit_cost is not None:
        row.unit_cost = weighted_cost(row.quantity, row.unit_cost, quantity, unit_cost)
    return_lot(session, row, quantity, kind=kind, document=document, actor=actor, now=now)
    return row


def return_lot(
    session: Session, lot: StockLot, quantity: int, *, kind: str, document: DocumentRef, actor: User, now: datetime
) -> None:
    """Add base units back to a known lot row (receipts, voids, returns)."""
    session.execute(
        update(StockLot).where(StockLot.id == lot.id).values(quantity=StockLot.quantity + quantity),
        execution_options={"synchronize_session": False},
    )
    session.expire(lot, ["quantity"])
    _movement(session, lot, quantity, kind, document, actor, now)


def take_lot(
    session: Session, lot: StockLot, quantity: int, *, kind: str, document: DocumentRef, actor: User, now: datetime
) -> None:
    """Remove base units with a guarded update, so stock can never go negative even if a lock was missed."""
    result = session.execute(
        update(StockLot)
        .where(StockLot.id == lot.id, StockLot.quantity >= quantity)
        .values(quantity=StockLot.quantity - quantity),
        execution_options={"synchronize_session": False},
    )
    if result.rowcount != 1:
        raise Conflict(f"Lô {lot.lot} vừa thay đổi, không còn đủ hàng. Vui lòng thử lại.", field="quantity")
    session.expire(lot, ["quantity"])
    _movement(session, lot, -quantity, kind, document, actor, now)


def stock_rows(
    session: Session,
    *,
    store_ids: list[int] | None,
    product_id: int | None = None,
    expiring_before: date | None = None,
    below_minimum: bool = False,
    include_empty: bool = False,
) -> list[tuple[StockLot, int]]:
    """Lots on hand with the (store, product) minimum, filtered as the stock page and API ask."""
    stmt = (
        select(StockLot, func.coalesce(StockSetting.min_quantity, 0))
        .options(joinedload(StockLot.product))
        .outerjoin(
            StockSetting,
            (StockSetting.store_id == StockLot.store_id) & (StockSetting.product_id == StockLot.product_id),
        )
        .order_by(StockLot.store_id, StockLot.product_id, StockLot.expiry, StockLot.id)
    )
    if store_ids is not None:
        stmt = stmt.where(StockLot.store_id.in_(store_ids))
    if product_id is not None:
        stmt = stmt.where(StockLot.product_id == product_id)
    if not include_empty:
        stmt = stmt.where(StockLot.quantity > 0)
    if expiring_before is not None:
        stmt = stmt.where(StockLot.expiry <= expiring_before)
    if below_minimum:
        totals = (
            select(StockLot.store_id, StockLot.product_id, func.sum(StockLot.quantity).label("total"))
            .group_by(StockLot.store_id, StockLot.product_id)
            .subquery()
        )
        stmt = stmt.join(
            totals, (totals.c.store_id == StockLot.store_id) & (totals.c.product_id == StockLot.product_id)
        ).where(StockSetting.min_quantity > 0, totals.c.total < StockSetting.min_quantity)
    return [(lot, minimum) for lot, minimum in session.execute(stmt)]


def empty_below_minimum(
    session: Session, *, store_ids: list[int] | None, product_id: int | None = None
) -> list[tuple[StockSetting, Product]]:
    """Products with a minimum set but nothing on hand at all in that store (no lot row to show)."""
    on_hand = (
        select(StockLot.id)
        .where(StockLot.store_id == StockSetting.store_id, StockLot.product_id == StockSetting.product_id,
               StockLot.quantity > 0)
        .exists()
    )
    stmt = (
        select(StockSetting, Product)
        .join(Product, Product.id == StockSetting.product_id)
        .where(StockSetting.min_quantity > 0, ~on_hand)
        .order_by(StockSetting.store_id, Product.name)
    )
    if store_ids is not None:
        stmt = stmt.where(StockSetting.store_id.in_(store_ids))
    if product_id is not None:
        stmt = stmt.where(StockSetting.product_id == product_id)
    return [(setting, product) for setting, product in session.execute(stmt)]


def expiry_horizon(today: date, days: int) -> date:
    return today + timedelta(days=days)


def set_min_quantity(session: Session, *, store_id: int, product_id: int, min_quantity: int) -> StockSetting:
    setting = session.get(StockSetting, (store_id, product_id))
    if setting is None:
        setting = StockSetting(store_id=store_id, product_id=product_id, min_quantity=min_quantity)
        session.add(setting)
    else:
        setting.min_quantity = min_quantity
    session.flush()
    return setting


def ledger_mismatches(session: Session) -> list[tuple[int, int, int]]:
    """Lots whose on-hand differs from the sum of their movements: (lot id, on hand, ledger sum)."""
    sums = (
        select(Movement.stock_lot_id, func.sum(Movement.quantity).label("total"))
        .group_by(Movement.stock_lot_id)
        .subquery()
    )
    stmt = select(StockLot.id, StockLot.quantity, func.coalesce(sums.c.total, 0)).outerjoin(
        sums, sums.c.stock_lot_id == StockLot.id
    )
    return [(i, q, s) for i, q, s in session.execute(stmt) if q != s]
