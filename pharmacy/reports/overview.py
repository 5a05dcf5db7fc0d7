"""The owner's overview: per store and in total, sales of a period, stock values at cost and sync health."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import BigInteger, case, func, select
from sqlalchemy.orm import Session

from ..clock import as_utc
from ..money import divide_half_up
from ..outbox.models import OutboxMessage
from ..stock.models import QUARANTINE, StockLot, StockSetting
from ..stores.models import Store
from .period import Period
from .sales import Figures, sales_report

EXPIRY_WINDOWS = (30, 60, 90)
WAITING = ("pending", "sending", "awaiting_result")  # not yet accepted by the national system
COST_KEYS = ("cost", "gross_margin", "stock_value", "expired_value") + tuple(
    f"expiring_{days}_value" for days in EXPIRY_WINDOWS) + ("quarantine_value",)
NUMERIC_KEYS = ("revenue", "sales_count", "average_basket") + COST_KEYS + ("below_minimum_count",)


def average_basket(revenue: int, sales_count: int) -> int:
    return divide_half_up(revenue, sales_count) if sales_count > 0 and revenue >= 0 else 0


def stock_values(session: Session, store_ids: list[int], today: date) -> dict[int, dict]:
    """Per store: value at cost on hand, expired, and expiring within 30/60/90 days (not yet expired), and of the
    stock in quarantine (part of the value on hand, shown apart).

    Two reads of the on-hand index (stock_lots (store_id, expiry) with quantity and cost, quantity > 0): the totals
    over every lot, then the expiry windows over only the lots expiring by the longest window, each store's range
    read apart (the expiry windows are no longer a CASE evaluated on every lot of the chain)."""
    value = StockLot.quantity.cast(BigInteger) * StockLot.unit_cost
    on_hand = (StockLot.store_id.in_(store_ids), StockLot.quantity > 0)
    totals = (select(StockLot.store_id, func.sum(value),
                     func.sum(case((StockLot.state == QUARANTINE, value), else_=0)))
              .where(*on_hand).group_by(StockLot.store_id))
    result = {store_id: {"stock_value": int(total or 0), "quarantine_value": int(held or 0), "expired_value": 0,
                         **{f"expiring_{days}_value": 0 for days in EXPIRY_WINDOWS}}
              for store_id, total, held in session.execute(totals)}
    windows = [func.sum(case((StockLot.expiry < today, value), else_=0))]
    windows += [func.sum(case((StockLot.expiry.between(today, today + timedelta(days=days)), value), else_=0))
                for days in EXPIRY_WINDOWS]
    soon = (select(StockLot.store_id, *windows)
            .where(*on_hand, StockLot.expiry <= today + timedelta(days=max(EXPIRY_WINDOWS)))
            .group_by(StockLot.store_id))
    names = ("expired_value",) + tuple(f"expiring_{days}_value" for days in EXPIRY_WINDOWS)
    for store_id, *values in session.execute(soon):
        result[store_id].update({name: int(v or 0) for name, v in zip(names, values, strict=True)})
    return result


def below_minimum_counts(session: Session, store_ids: list[int]) -> dict[int, int]:
    """Per store: products with a minimum set and less than it on hand (as the stock list's below_minimum).

    Only the (store, product) pairs that have a minimum are summed, each through the lots index."""
    on_hand = (select(func.coalesce(func.sum(StockLot.quantity), 0))
               .where(StockLot.store_id == StockSetting.store_id, StockLot.product_id == StockSetting.product_id)
               .scalar_subquery())
    stmt = (select(StockSetting.store_id, func.count())
            .where(StockSetting.store_id.in_(store_ids), StockSetting.min_quantity > 0,
                   on_hand < StockSetting.min_quantity)
            .group_by(StockSetting.store_id))
    return dict(session.execute(stmt).all())


def sync_health(session: Session, store_ids: list[int], now: datetime) -> dict[int, dict]:
    """Per store: messages waiting (pending, sending, awaiting a result), held, rejected, oldest waiting age."""
    stmt = (select(OutboxMessage.store_id, OutboxMessage.status, func.count(), func.min(OutboxMessage.created_at))
            .where(OutboxMessage.store_id.in_(store_ids),
                   OutboxMessage.status.in_(WAITING + ("held", "rejected")))
            .group_by(OutboxMessage.store_id, OutboxMessage.status))
    health: dict[int, dict] = {}
    for store_id, status, count, oldest in session.execute(stmt):
        entry = health.setdefault(store_id, empty_sync())
        if status in WAITING:
            entry["pending"] += count
            age = max(0, int((now - as_utc(oldest)).total_seconds())) if oldest is not None else 0
            entry["oldest_pending_seconds"] = max(entry["oldest_pending_seconds"] or 0, age)
        else:
            entry[status] += count
    return health


def empty_sync() -> dict:
    return {"pending": 0, "held": 0, "rejected": 0, "oldest_pending_seconds": None}


def _store_entry(store: Store, sales: Figures, stock: dict, below: int, sync: dict) -> dict:
    entry = {"store_id": store.id, "code": store.code, "name": store.name, "revenue": sales.revenue,
             "sales_count": sales.sales_count, "average_basket": average_basket(sales.revenue, sales.sales_count),
             "cost": sales.cost, "gross_margin": sales.gross_margin}
    entry.update({key: stock.get(key, 0) for key in COST_KEYS if key not in entry})
    entry["below_minimum_count"] = below
    entry["sync"] = sync
    return entry


def totals_of(entries: list[dict]) -> dict:
    """Sums over stores; a cost figure hidden in any store (None) stays hidden in the total."""
    totals: dict = {}
    for key in NUMERIC_KEYS:
        values = [entry[key] for entry in entries]
        totals[key] = None if any(v is None for v in values) else sum(values)
    totals["average_basket"] = average_basket(totals["revenue"], totals["sales_count"])
    ages = [e["sync"]["oldest_pending_seconds"] for e in entries if e["sync"]["oldest_pending_seconds"] is not None]
    totals["sync"] = {key: sum(e["sync"][key] for e in entries) for key in ("pending", "held", "rejected")}
    totals["sync"]["oldest_pending_seconds"] = max(ages) if ages else None
    return totals


def overview(session: Session, *, period: Period, stores: list[Store], today: date, now: datetime,
             cost_visible: set[int]) -> dict:
    """{stores: [...], totals: {...}}; cost figures are None for stores not in `cost_visible`."""
    ids = [store.id for store in stores]
    sales = sales_report(session, period=period, group_by="store", store_ids=ids).rows if ids else {}
    stock = stock_values(session, ids, today) if ids else {}
    below = below_minimum_counts(session, ids) if ids else {}
    sync = sync_health(session, ids, now) if ids else {}
    entries = []
    for store in stores:
        entry = _store_entry(store, sales.get(store.id, Figures()), stock.get(store.id, {}),
                             below.get(store.id, 0), sync.get(store.id, empty_sync()))
        if store.id not in cost_visible:
            entry.update({key: None for key in COST_KEYS})
        entries.append(entry)
    return {"stores": entries, "totals": totals_of(entries)}
