"""Sales figures per day, product, store or seller, each event on its own local day.

A sale counts on the day it was made; a void deducts what it cancelled (the units not already returned, the
amount not already refunded) on the void's day; a customer return deducts its units and refund on the return's
day. Cost is always the cost stored on the sale allocation, so a void or a return reverses exactly what the sale
booked. Quantities are base units; money is integer VND. "user" is the seller of the sale behind each event.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session

from ..catalog.categories import category_product_ids
from ..catalog.models import Product
from ..sales.daily import FIGURES, SalesDaily
from ..sales.models import CustomerReturn, ReturnLine, Sale, SaleAllocation, SaleLine, SaleVoid
from ..stores.models import Store, User
from .period import Period, as_date, local_day

GROUPS = ("day", "product", "store", "user")


@dataclass
class Figures:
    quantity: int = 0
    revenue: int = 0
    cost: int = 0
    sales_count: int = 0

    def add(self, quantity=0, revenue=0, cost=0, sales_count=0) -> None:
        self.quantity += int(quantity or 0)
        self.revenue += int(revenue or 0)
        self.cost += int(cost or 0)
        self.sales_count += int(sales_count or 0)

    @property
    def gross_margin(self) -> int:
        return self.revenue - self.cost


@dataclass
class SalesReport:
    group_by: str | None
    rows: dict = field(default_factory=dict)  # key -> Figures
    totals: Figures = field(default_factory=Figures)


def _keys(group_by: str | None, moment) -> tuple:
    """The grouping columns of an event (its moment decides its day); "day_store" feeds the dashboard chart."""
    day = local_day(moment)
    return {
        None: (literal(0).label("total"),), "day": (day,), "product": (SaleLine.product_id,),
        "store": (Sale.store_id,), "user": (Sale.user_id,), "day_store": (day, Sale.store_id),
        "day_store_user": (day, Sale.store_id, Sale.user_id),
    }[group_by]


def _scoped(stmt, moment, period: Period | None, store_ids: list[int] | None, group: tuple | None,
            category_id: int | None = None):
    if category_id is not None:  # every event query reads the sale line: the products of one category
        stmt = stmt.where(SaleLine.product_id.in_(category_product_ids(category_id)))
    if period is not None:
        stmt = stmt.where(moment >= period.start, moment < period.end)
    if group is not None:
        stmt = stmt.group_by(*group)
    return stmt if store_ids is None else stmt.where(Sale.store_id.in_(store_ids))


def _refunded_per_line():
    return (
        select(ReturnLine.sale_line_id, func.sum(ReturnLine.refund).label("refund"))
        .group_by(ReturnLine.sale_line_id)
        .subquery()
    )


def _event_queries(group_by: str | None, period: Period | None, store_ids: list[int] | None,
                   category_id: int | None = None):
    """(statement, sign) pairs; each yields (key, quantity, revenue, cost, sales_count)."""
    zero = literal(0)
    key = _keys(group_by, Sale.created_at)
    sold = _scoped(
        select(*key, func.sum(SaleLine.quantity * SaleLine.unit_factor), func.sum(SaleLine.amount), zero,
               func.count(func.distinct(Sale.id)))
        .select_from(SaleLine).join(Sale, Sale.id == SaleLine.sale_id),
        Sale.created_at, period, store_ids, key if group_by else None, category_id,
    )
    sold_cost = _scoped(
        select(*key, zero, zero, func.sum(SaleAllocation.quantity * SaleAllocation.unit_cost), zero)
        .select_from(SaleAllocation)
        .join(SaleLine, SaleLine.id == SaleAllocation.sale_line_id)
        .join(Sale, Sale.id == SaleLine.sale_id),
        Sale.created_at, period, store_ids, key if group_by else None, category_id,
    )
    key = _keys(group_by, SaleVoid.created_at)
    refunded = _refunded_per_line()
    voided = _scoped(
        select(*key, func.sum(SaleLine.quantity * SaleLine.unit_factor - SaleLine.returned_base_quantity),
               func.sum(SaleLine.amount - func.coalesce(refunded.c.refund, 0)), zero,
               func.count(func.distinct(Sale.id)))
        .select_from(SaleLine)
        .join(Sale, Sale.id == SaleLine.sale_id)
        .join(SaleVoid, SaleVoid.sale_id == Sale.id)
        .outerjoin(refunded, refunded.c.sale_line_id == SaleLine.id),
        SaleVoid.created_at, period, store_ids, key if group_by else None, category_id,
    )
    voided_cost = _scoped(
        select(*key, zero, zero,
               func.sum((SaleAllocation.quantity - SaleAllocation.returned_quantity) * SaleAllocation.unit_cost),
               zero)
        .select_from(SaleAllocation)
        .join(SaleLine, SaleLine.id == SaleAllocation.sale_line_id)
        .join(Sale, Sale.id == SaleLine.sale_id)
        .join(SaleVoid, SaleVoid.sale_id == Sale.id),
        SaleVoid.created_at, period, store_ids, key if group_by else None, category_id,
    )
    key = _keys(group_by, CustomerReturn.created_at)
    returned = _scoped(
        select(*key, func.sum(ReturnLine.base_quantity), func.sum(ReturnLine.refund),
               func.sum(ReturnLine.base_quantity * SaleAllocation.unit_cost), zero)
        .select_from(ReturnLine)
        .join(CustomerReturn, CustomerReturn.id == ReturnLine.return_id)
        .join(SaleAllocation, SaleAllocation.id == ReturnLine.sale_allocation_id)
        .join(SaleLine, SaleLine.id == ReturnLine.sale_line_id)
        .join(Sale, Sale.id == SaleLine.sale_id),
        CustomerReturn.created_at, period, store_ids, key if group_by else None, category_id,
    )
    return [(sold, 1), (sold_cost, 1), (voided, -1), (voided_cost, -1), (returned, -1)]


def document_figures(session: Session, *, group_by: str | None, period: Period | None,
                     store_ids: list[int] | None, category_id: int | None = None) -> dict:
    """Figures per key read from the documents themselves (sale lines, allocations, voids, returns)."""
    rows: dict = {}
    width = len(_keys(group_by, Sale.created_at))
    for stmt, sign in _event_queries(group_by, period, store_ids, category_id):
        for row in session.execute(stmt):
            key = _key_of(group_by, row[:width])
            quantity, revenue, cost, count = row[width:]
            rows.setdefault(key, Figures()).add(
                sign * int(quantity or 0), sign * int(revenue or 0), sign * int(cost or 0), sign * int(count or 0)
            )
    return rows


def _key_of(group_by: str | None, values) -> object:
    if group_by in ("day", "day_store", "day_store_user"):
        values = (as_date(values[0]), *values[1:])
    return values[0] if len(values) == 1 else tuple(values)


DAILY_KEYS = {"day": ("day",), "store": ("store_id",), "user": ("user_id",), "day_store": ("day", "store_id"),
              "day_store_user": ("day", "store_id", "user_id")}


def daily_figures(session: Session, *, group_by: str, period: Period, store_ids: list[int] | None) -> dict:
    """The same figures from the daily totals kept with each document (pharmacy/sales/daily.py)."""
    keys = [getattr(SalesDaily, name) for name in DAILY_KEYS[group_by]]
    stmt = (select(*keys, *[func.sum(getattr(SalesDaily, name)) for name in FIGURES])
            .where(SalesDaily.day >= period.date_from, SalesDaily.day <= period.date_to).group_by(*keys))
    if store_ids is not None:
        stmt = stmt.where(SalesDaily.store_id.in_(store_ids))
    rows: dict = {}
    for row in session.execute(stmt):
        figures = Figures()
        figures.add(*row[len(keys):])
        if figures != Figures():
            rows[_key_of(group_by, row[:len(keys)])] = figures
    return rows


def sales_report(session: Session, *, period: Period, group_by: str, store_ids: list[int] | None,
                 from_documents: bool = False, category_id: int | None = None) -> SalesReport:
    """Figures per group and in total over the period, for the given stores (None: every store), of every product
    or of one category's (a sale counts once if it holds any of them).

    Per product, or for one category, the documents are read; per day, store or seller the daily totals (the same
    numbers, kept with each document), unless `from_documents` asks for the recomputation.
    """
    if group_by in DAILY_KEYS and not from_documents and category_id is None:
        rows = daily_figures(session, group_by=group_by, period=period, store_ids=store_ids)
    else:
        rows = document_figures(session, group_by=group_by, period=period, store_ids=store_ids,
                                category_id=category_id)
    report = SalesReport(group_by=group_by, rows=rows)
    if group_by == "product":  # one sale of two products is still one sale in the total
        report.totals = document_figures(session, group_by=None, period=period, store_ids=store_ids,
                                         category_id=category_id).get(0, Figures())
    else:
        for figures in rows.values():
            report.totals.add(figures.quantity, figures.revenue, figures.cost, figures.sales_count)
    return report


def labels(session: Session, group_by: str, keys) -> dict:
    """Human labels for the keys of a report: the day, the product name, the store, the seller."""
    keys = list(keys)
    if group_by == "day":
        return {key: key.isoformat() for key in keys}
    if not keys:
        return {}
    if group_by == "product":
        return dict(session.execute(select(Product.id, Product.name).where(Product.id.in_(keys))).all())
    if group_by == "store":
        stmt = select(Store.id, Store.code, Store.name).where(Store.id.in_(keys))
        return {i: f"{code} · {name}" for i, code, name in session.execute(stmt)}
    stmt = select(User.id, User.username, User.full_name).where(User.id.in_(keys))
    return {i: full or username for i, username, full in session.execute(stmt)}
