"""Reading stock: one page of products with their lots, and per-store summaries, from column queries.

Near-expiry, expired and below-minimum are decided here, once, for the API and the stock page alike. A product's
`on_hand` is its whole stock in the store whatever lots a filter picks; `lots` are the lots the filter picks.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, case, func, literal, or_, select, union_all
from sqlalchemy.orm import Session

from ..catalog.models import Product, ProductUnit
from ..catalog.search import query_tokens
from ..stores.models import Store
from .models import QUARANTINE, StockLot, StockSetting


@dataclass(frozen=True)
class StockFilter:
    """Which products a listing shows: lots expiring in [expiry_from, expiry_to], below the minimum, by text."""

    product_id: int | None = None
    expiry_from: date | None = None
    expiry_to: date | None = None
    below_minimum: bool = False
    query: str = ""

    @property
    def by_expiry(self) -> bool:
        return self.expiry_from is not None or self.expiry_to is not None


@dataclass(frozen=True)
class LotRow:
    id: int
    lot: str
    expiry: date
    quantity: int
    expired: bool
    near_expiry: bool
    state: str = "sellable"


@dataclass
class ProductStock:
    store_id: int
    product_id: int
    product_name: str
    base_unit: str
    on_hand: int            # the whole stock in the store (base units), expired lots included
    sellable: int           # unexpired lots only, quarantine excluded
    min_quantity: int
    below_minimum: bool
    expired_lots: int
    near_expiry_lots: int
    lots: list[LotRow] = field(default_factory=list)
    quarantined: int = 0    # in quarantine (base units), part of on_hand


@dataclass(frozen=True)
class StoreSummary:
    store_id: int
    store_code: str
    store_name: str
    products: int
    lots: int
    units_on_hand: int
    expired_lots: int
    near_expiry_lots: int
    below_minimum: int


def _in(column, store_ids: list[int] | None):
    return column.in_(store_ids) if store_ids is not None else column.isnot(None)


def _per_product(today: date, near: date, store_ids: list[int] | None, product_id: int | None = None):
    """(store, product) → totals over the lots on hand (filtered inside: SQLite cannot push it into a GROUP BY)."""
    expired = StockLot.expiry < today
    held = StockLot.state == QUARANTINE
    stmt = (
        select(
            StockLot.store_id.label("store_id"), StockLot.product_id.label("product_id"),
            func.sum(StockLot.quantity).label("on_hand"),
            func.sum(case((or_(expired, held), 0), else_=StockLot.quantity)).label("sellable"),
            func.sum(case((held, StockLot.quantity), else_=0)).label("quarantined"),
            func.sum(case((expired, 1), else_=0)).label("expired_lots"),
            func.sum(case((and_(~expired, StockLot.expiry <= near), 1), else_=0)).label("near_lots"),
        )
        .where(StockLot.quantity > 0, _in(StockLot.store_id, store_ids))
        .group_by(StockLot.store_id, StockLot.product_id)
    )
    if product_id is not None:
        stmt = stmt.where(StockLot.product_id == product_id)
    return stmt.subquery()


def _lot_matches(wanted: StockFilter):
    conditions = [StockLot.quantity > 0]
    if wanted.expiry_from is not None:
        conditions.append(StockLot.expiry >= wanted.expiry_from)
    if wanted.expiry_to is not None:
        conditions.append(StockLot.expiry <= wanted.expiry_to)
    return and_(*conditions)


def _groups(store_ids: list[int] | None, wanted: StockFilter, today: date, near: date):
    """The listed (store, product) rows with their totals and the count of all of them, ready to paginate."""
    totals = _per_product(today, near, store_ids, wanted.product_id)
    minimum = func.coalesce(StockSetting.min_quantity, 0)
    keys = totals
    if wanted.below_minimum:  # products with a minimum and nothing at all on hand are listed too
        keys = union_all(
            select(totals.c.store_id, totals.c.product_id),
            select(StockSetting.store_id, StockSetting.product_id).where(
                _in(StockSetting.store_id, store_ids), StockSetting.min_quantity > 0,
                ~select(totals.c.product_id).where(totals.c.store_id == StockSetting.store_id,
                                                   totals.c.product_id == StockSetting.product_id).exists()),
        ).subquery()
    on_hand = func.coalesce(totals.c.on_hand, 0)
    stmt = (
        select(
            keys.c.store_id, keys.c.product_id, Product.name.label("product_name"), on_hand.label("on_hand"),
            func.coalesce(totals.c.sellable, 0).label("sellable"), minimum.label("min_quantity"),
            func.coalesce(totals.c.expired_lots, 0).label("expired_lots"),
            func.coalesce(totals.c.near_lots, 0).label("near_lots"),
            func.coalesce(totals.c.quarantined, 0).label("quarantined"), func.count().over().label("listed"),
        )
        .select_from(keys)
        .join(Product, Product.id == keys.c.product_id)
        .outerjoin(StockSetting, and_(StockSetting.store_id == keys.c.store_id,
                                      StockSetting.product_id == keys.c.product_id))
    )
    if keys is not totals:
        stmt = stmt.outerjoin(totals, and_(totals.c.store_id == keys.c.store_id,
                                           totals.c.product_id == keys.c.product_id))
    if wanted.product_id is not None:
        stmt = stmt.where(keys.c.product_id == wanted.product_id)
    if wanted.below_minimum:
        stmt = stmt.where(minimum > 0, on_hand < minimum)
    for token in query_tokens(wanted.query):
        stmt = stmt.where(or_(Product.search_text.like(f"{token}%"), Product.search_text.like(f"% {token}%")))
    if wanted.by_expiry:
        stmt = stmt.where(select(StockLot.id).where(
            StockLot.store_id == keys.c.store_id, StockLot.product_id == keys.c.product_id, _lot_matches(wanted)
        ).exists())
    return stmt.order_by(keys.c.store_id, Product.name, keys.c.product_id)


def stock_page(
    session: Session, *, store_ids: list[int] | None, wanted: StockFilter, today: date, near_days: int,
    page: int = 1, per_page: int = 50,
) -> tuple[list[ProductStock], int]:
    """One page of (store, product) rows, ordered by store and product name, each with its matching lots."""
    near = today + timedelta(days=near_days)
    groups = _groups(store_ids, wanted, today, near)
    rows = session.execute(groups.offset((page - 1) * per_page).limit(per_page)).all()
    if rows:
        total = rows[0].listed
    else:  # past the last page: count without the window
        total = session.execute(select(func.count()).select_from(groups.order_by(None).subquery())).scalar_one()
    items = {
        (row.store_id, row.product_id): ProductStock(
            row.store_id, row.product_id, row.product_name, "", int(row.on_hand), int(row.sellable),
            int(row.min_quantity), 0 < row.min_quantity and row.on_hand < row.min_quantity,
            int(row.expired_lots), int(row.near_lots), quarantined=int(row.quarantined),
        )
        for row in rows
    }
    if items:
        product_ids = sorted({product_id for _store, product_id in items})
        units = select(ProductUnit.product_id, ProductUnit.name).where(
            ProductUnit.product_id.in_(product_ids), ProductUnit.is_base.is_(True))
        base_units = dict(session.execute(units).all())
        for item in items.values():
            item.base_unit = base_units.get(item.product_id, "")
        lots = (
            select(StockLot.id, StockLot.store_id, StockLot.product_id, StockLot.lot, StockLot.expiry,
                   StockLot.quantity, StockLot.state)
            .where(StockLot.store_id.in_(sorted({store for store, _product in items})),
                   StockLot.product_id.in_(product_ids), _lot_matches(wanted))
            .order_by(StockLot.expiry, StockLot.state, StockLot.id)
        )
        for lot in session.execute(lots):
            if (lot.store_id, lot.product_id) not in items:
                continue  # another page's product in another store of this page
            expired = lot.expiry < today
            items[(lot.store_id, lot.product_id)].lots.append(
                LotRow(lot.id, lot.lot, lot.expiry, lot.quantity, expired, not expired and lot.expiry <= near,
                       lot.state))
    return list(items.values()), total


def stock_summaries(session: Session, *, store_ids: list[int] | None, today: date,
                    near_days: int) -> list[StoreSummary]:
    """Per store: products and lots on hand, units, expired and near-expiry lots, products below their minimum."""
    near = today + timedelta(days=near_days)
    totals = _per_product(today, near, store_ids)
    per_store = (
        select(totals.c.store_id, func.count().label("products"), func.sum(totals.c.on_hand).label("units"),
               func.sum(totals.c.expired_lots).label("expired"), func.sum(totals.c.near_lots).label("near"))
        .group_by(totals.c.store_id)
        .subquery()
    )
    lots = (select(StockLot.store_id, func.count().label("lots")).where(StockLot.quantity > 0)
            .group_by(StockLot.store_id).subquery())
    on_hand = (select(func.coalesce(func.sum(StockLot.quantity), 0)).where(
        StockLot.store_id == StockSetting.store_id, StockLot.product_id == StockSetting.product_id,
        StockLot.quantity > 0).scalar_subquery())
    below = (select(StockSetting.store_id, func.count().label("below"))
             .where(StockSetting.min_quantity > 0, on_hand < StockSetting.min_quantity)
             .group_by(StockSetting.store_id).subquery())
    stmt = (
        select(Store.id, Store.code, Store.name,
               *(func.coalesce(column, literal(0)) for column in (
                   per_store.c.products, lots.c.lots, per_store.c.units, per_store.c.expired, per_store.c.near,
                   below.c.below)))
        .outerjoin(per_store, per_store.c.store_id == Store.id)
        .outerjoin(lots, lots.c.store_id == Store.id)
        .outerjoin(below, below.c.store_id == Store.id)
        .where(_in(Store.id, store_ids) if store_ids is not None else Store.active.is_(True))
        .order_by(Store.code)
    )
    return [StoreSummary(row[0], row[1], row[2], *(int(value) for value in row[3:])) for row in session.execute(stmt)]
