"""Stock changes: every one goes through here, updating on-hand and writing its ledger movement."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from sqlalchemy import ARRAY, Integer, bindparam, case, func, insert, select, update
from sqlalchemy.orm import Session

from ..controlled.ledger import book_movements
from ..errors import Conflict, msg
from ..stores.models import User
from .costing import weighted_cost
from .fefo import LotOnHand
from .models import SELLABLE, Movement, StockLot, StockSetting


@dataclass(frozen=True)
class DocumentRef:
    """The document a movement belongs to."""

    type: str
    id: int


def lots_for_update(
    session: Session, store_id: int, product_ids: Iterable[int], *, state: str | None = SELLABLE
) -> dict[int, list[StockLot]]:
    """The products' lots in the store by product (earliest expiry first), row-locked on PostgreSQL in one
    statement in id order, so two documents lock in the same order (SQLite holds the write lock already).

    Sellable rows only unless another `state` is asked for (None: both states, for goods issues)."""
    wanted = set(product_ids)
    params = {"store_id": store_id, "product_ids": sorted(wanted), "state": state}
    return _by_product(session.execute(_LOTS_FOR_UPDATE[state is not None], params).scalars(), wanted)


def lots_for_update_marked(session: Session, store_id: int, product_ids: Iterable[int], *, mark
                           ) -> tuple[dict[int, list[StockLot]], set[int]]:
    """`lots_for_update` of sellable lots, the same statement carrying one more column: `mark`, a boolean SQL
    expression about the lot's product (a sale asks "is it recalled?"), so that question costs no statement of
    its own. Returns the lots and the ids of the products whose lots it marks."""
    wanted = set(product_ids)
    if mark not in _MARKED:
        _MARKED[mark] = _LOTS_FOR_UPDATE[True].add_columns(mark)
    rows = session.execute(_MARKED[mark], {"store_id": store_id, "product_ids": sorted(wanted), "state": SELLABLE})
    marked: set[int] = set()
    lots = []
    for lot, flagged in rows:
        lots.append(lot)
        if flagged:
            marked.add(lot.product_id)
    return _by_product(lots, wanted), marked


def _by_product(found: Iterable[StockLot], wanted: set[int]) -> dict[int, list[StockLot]]:
    lots: dict[int, list[StockLot]] = {product_id: [] for product_id in wanted}
    for lot in found:
        lots[lot.product_id].append(lot)
    for rows in lots.values():
        rows.sort(key=lambda lot: (lot.expiry, lot.id))
    return lots


def _lots_for_update(in_state: bool):
    stmt = (
        select(StockLot)
        .where(StockLot.store_id == bindparam("store_id"),
               StockLot.product_id.in_(bindparam("product_ids", expanding=True)))
        .order_by(StockLot.id)
        .with_for_update(of=StockLot)
    )
    return stmt.where(StockLot.state == bindparam("state")) if in_state else stmt


_LOTS_FOR_UPDATE = {True: _lots_for_update(True), False: _lots_for_update(False)}  # by "one state"; built once
_MARKED: dict = {}  # lots_for_update_marked's statements by mark, built once each


def as_on_hand(lots: list[StockLot]) -> list[LotOnHand]:
    return [LotOnHand(id=lot.id, lot=lot.lot, expiry=lot.expiry, quantity=lot.quantity) for lot in lots]


_INSERT_MOVEMENTS = insert(Movement.__table__)  # built once (and its cache key): every document's stock runs it
_PER_LOT = ("stock_lot_id", "store_id", "product_id", "quantity")  # a ledger row's own columns
_SHARED = ("kind", "document_type", "document_id", "user_id", "created_at")  # the same on every row of a take
_MOVEMENT_COLUMNS = _PER_LOT + _SHARED


def _movement_rows(changes: list[tuple[StockLot, int]], kind: str, document: DocumentRef, actor: User,
                   now: datetime) -> list[dict]:
    return [{"stock_lot_id": lot.id, "store_id": lot.store_id, "product_id": lot.product_id, "quantity": quantity,
             "kind": kind, "document_type": document.type, "document_id": document.id, "user_id": actor.id,
             "created_at": now} for lot, quantity in changes]


def _record_movements(session: Session, changes: list[tuple[StockLot, int]], kind: str, document: DocumentRef,
                      actor: User, now: datetime) -> None:
    """The ledger rows of some lot changes, in one statement (nothing reads them back in the transaction)."""
    session.execute(_INSERT_MOVEMENTS, _movement_rows(changes, kind, document, actor, now))
    book_movements(session, changes, kind, document, actor, now)  # controlled drugs: their own ledger


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
    state: str = SELLABLE,
) -> StockLot:
    """Add base units to a lot (in a state), creating the lot row the first time it is seen."""
    stmt = (
        select(StockLot)
        .where(
            StockLot.store_id == store_id,
            StockLot.product_id == product_id,
            StockLot.lot == lot,
            StockLot.expiry == expiry,
            StockLot.state == state,
        )
        .with_for_update(of=StockLot)
    )
    row = session.execute(stmt).scalars().first()
    if row is None:
        row = StockLot(
            store_id=store_id, product_id=product_id, lot=lot, expiry=expiry, quantity=0,
            manufactured=manufactured, unit_cost=unit_cost or 0, state=state,
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
    _record_movements(session, [(lot, quantity)], kind, document, actor, now)


@lru_cache(maxsize=32)
def _guarded_take(count: int):
    """One UPDATE for `count` lots (ids `id0…`, units `n0…`): each row loses its units only if it still holds
    them all. A Core statement built once per count: no ORM bookkeeping, the caller expires what it changed."""
    lots = StockLot.__table__.c
    needed = case({bindparam(f"id{index}"): bindparam(f"n{index}") for index in range(count)}, value=lots.id)
    return (update(StockLot.__table__)
            .where(lots.id.in_([bindparam(f"id{index}") for index in range(count)]), lots.quantity >= needed)
            .values(quantity=lots.quantity - needed).returning(lots.id))


_RECORDED = (  # PostgreSQL: a take's ledger rows from arrays, one statement shape for any count (a multi-row
    # VALUES is compiled again on every execution: SQLAlchemy does not cache it)
    func.unnest(*(bindparam(f"m_{name}", type_=ARRAY(Integer)) for name in _PER_LOT))
    .table_valued(*_PER_LOT).render_derived()
)


@lru_cache(maxsize=32)
def _guarded_take_recording(count: int, then: tuple = ()):
    """PostgreSQL: `_guarded_take` with the ledger rows (parameters `m_<column>`: arrays of the lots' columns and
    one value of the others) inserted in the same statement, as a WITH, and the statements `then`: one round
    trip. A short lot still refuses the whole document (its transaction is rolled back, ledger rows with it)."""
    movements = Movement.__table__
    rows = select(*(_RECORDED.c[name] for name in _PER_LOT),
                  *(bindparam(f"m_{name}", type_=movements.c[name].type) for name in _SHARED))
    recorded = insert(movements).from_select(_MOVEMENT_COLUMNS, rows)
    return _guarded_take(count).add_cte(recorded.cte("recorded"),
                                        *(write.cte(f"take_then_{index}") for index, write in enumerate(then)))


def take_lots(
    session: Session, takes: list[tuple[StockLot, int]], *, kind: str, document: DocumentRef, actor: User,
    now: datetime, then: Sequence[tuple] = (),
) -> None:
    """Remove base units from lots with one guarded update, so stock can never go negative even if a lock was
    missed, and write their ledger rows (on PostgreSQL in that same statement, with the writes `then`:
    (statement, parameters) of the document's own, run next elsewhere)."""
    if not takes:
        return
    needed: dict[int, int] = {}
    for lot, quantity in takes:
        needed[lot.id] = needed.get(lot.id, 0) + quantity
    params = {}
    for index, (lot_id, quantity) in enumerate(needed.items()):
        params[f"id{index}"], params[f"n{index}"] = lot_id, quantity
    changes = [(lot, -quantity) for lot, quantity in takes]
    together = session.get_bind().dialect.name == "postgresql"
    if together:
        rows = _movement_rows(changes, kind, document, actor, now)
        params.update({f"m_{name}": [row[name] for row in rows] for name in _PER_LOT})
        params.update({f"m_{name}": rows[0][name] for name in _SHARED})
        for _stmt, values in then:
            params.update(values)
    stmt = (_guarded_take_recording(len(needed), tuple(write for write, _values in then)) if together
            else _guarded_take(len(needed)))
    taken = set(session.execute(stmt, params).scalars())
    if len(taken) != len(needed):
        short = next(lot for lot, _quantity in takes if lot.id not in taken)
        raise Conflict(msg("Lot %(lot)s just changed and no longer has enough. Please try again.", lot=short.lot),
                       field="quantity")
    for lot, _quantity in takes:
        session.expire(lot, ["quantity"])
    if together:
        book_movements(session, changes, kind, document, actor, now)  # controlled drugs: their own ledger
    else:
        _record_movements(session, changes, kind, document, actor, now)
        for write in then:
            session.execute(*write)


def take_lot(
    session: Session, lot: StockLot, quantity: int, *, kind: str, document: DocumentRef, actor: User, now: datetime
) -> None:
    take_lots(session, [(lot, quantity)], kind=kind, document=document, actor=actor, now=now)


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
