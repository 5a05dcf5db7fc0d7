"""Daily sales totals per (store, local day, seller), kept inside each document's transaction.

A sale adds to its day; a void deducts what it cancelled on the void's day; a customer return deducts on the
return's day: the same rules as the reports read from the documents (pharmacy/reports/sales.py), so
`rebuild_sales_daily` (a recomputation from the documents) must always give the same table — a test checks it.
The owner's overview and sales by day/store/seller read these rows instead of a year of sale lines.

One upsert per document, as its last write: concurrent documents of one seller in one store wait for each other
only at that row, after every lot lock is taken, so no lock cycle can form.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, bindparam, delete, func, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..clock import local_date
from ..models_base import Base
from .models import CustomerReturn, Sale, SaleLine, SaleVoid

FIGURES = ("quantity", "revenue", "cost", "sales_count", "discount")


class SalesDaily(Base):
    """Net figures of one seller in one store on one local day (quantities in base units, money in VND)."""

    __tablename__ = "sales_daily"

    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    quantity: Mapped[int] = mapped_column(BigInteger, default=0)
    revenue: Mapped[int] = mapped_column(BigInteger, default=0)
    cost: Mapped[int] = mapped_column(BigInteger, default=0)
    sales_count: Mapped[int] = mapped_column(Integer, default=0)
    discount: Mapped[int] = mapped_column(BigInteger, default=0)  # every discount given; revenue is net of it


def returned_discount(line: SaleLine, base_quantity: int) -> int:
    """The discount a return of `base_quantity` units takes back: the line's pro rata, rounded down (the reports'
    SQL in pharmacy/reports/sales.py is the same rule); a void takes back what the returns left."""
    return (line.discount_amount + line.cart_discount_share) * base_quantity // line.base_quantity


def _upsert(insert):
    # Parameters d_…: the statement may ride in an UPDATE of another table (audit/chain.py), where a parameter
    # named after that table's column (store_id) is reserved.
    stmt = insert(SalesDaily.__table__).values({name: bindparam(f"d_{name}") for name in ("store_id", "day",
                                                                                           "user_id", *FIGURES)})
    return stmt.on_conflict_do_update(
        index_elements=["store_id", "day", "user_id"],
        set_={name: SalesDaily.__table__.c[name] + stmt.excluded[name] for name in FIGURES},
    )


_UPSERT = {"postgresql": _upsert(pg_insert), "sqlite": _upsert(sqlite_insert)}  # built once: every sale runs it


def _write(session: Session, *, store_id: int, day: date, user_id: int, quantity: int, revenue: int, cost: int,
           sales_count: int, discount: int) -> tuple:
    """The upsert adding these figures to their row, and its parameters."""
    dialect = session.get_bind().dialect.name
    if dialect not in _UPSERT:  # pragma: no cover - the two supported databases
        raise RuntimeError(f"unsupported database {dialect}")
    return _UPSERT[dialect], {"d_store_id": store_id, "d_day": day, "d_user_id": user_id, "d_quantity": quantity,
                              "d_revenue": revenue, "d_cost": cost, "d_sales_count": sales_count,
                              "d_discount": discount}


def _add(session: Session, **figures) -> None:
    session.execute(*_write(session, **figures))


def sale_write(session: Session, sale: Sale) -> tuple:
    """What a recorded sale adds to its day (its lines, its total and the cost stored on its allocations), as
    (statement, parameters) for the caller to run last: record_sale hands it to chain_document, which sends it
    with the chain's last statement."""
    return _write(session, store_id=sale.store_id, day=local_date(sale.created_at), user_id=sale.user_id,
                  quantity=sum(line.base_quantity for line in sale.lines), revenue=sale.total,
                  cost=sum(a.quantity * a.unit_cost for line in sale.lines for a in line.allocations), sales_count=1,
                  discount=sum(line.discount_amount + line.cart_discount_share for line in sale.lines))


def deduct_void(session: Session, sale: Sale, void: SaleVoid) -> None:
    """A void, after its stock went back: what was not returned before, at the sale's cost."""
    returns = session.execute(select(CustomerReturn).where(CustomerReturn.sale_id == sale.id)).scalars().all()
    refunded = sum(returned.refund_total for returned in returns)
    quantity = sum(line.base_quantity - line.returned_base_quantity for line in sale.lines)
    cost = sum((a.quantity - a.returned_quantity) * a.unit_cost for line in sale.lines for a in line.allocations)
    discount = sum(line.discount_amount + line.cart_discount_share for line in sale.lines) - sum(
        returned_discount(piece.sale_line, piece.base_quantity) for returned in returns for piece in returned.lines)
    _add(session, store_id=sale.store_id, day=local_date(void.created_at), user_id=sale.user_id,
         quantity=-quantity, revenue=-(sale.total - refunded), cost=-cost, sales_count=-1, discount=-discount)


def deduct_return(session: Session, sale: Sale, returned: CustomerReturn) -> None:
    """A customer return: its units and refund, at the cost of the allocations they came from."""
    costs = {a.id: a.unit_cost for line in sale.lines for a in line.allocations}
    sold = {line.id: line for line in sale.lines}
    _add(session, store_id=sale.store_id, day=local_date(returned.created_at), user_id=sale.user_id,
         quantity=-sum(line.base_quantity for line in returned.lines), revenue=-returned.refund_total,
         cost=-sum(line.base_quantity * costs[line.sale_allocation_id] for line in returned.lines), sales_count=0,
         discount=-sum(returned_discount(sold[line.sale_line_id], line.base_quantity) for line in returned.lines))


def rebuild_sales_daily(session: Session) -> int:
    """Recompute the table from the documents (after a bulk load, or to repair); returns its row count.

    Days before the latest retention purge's day stay as they are: their documents may be archived and deleted
    (books/ledger_purge.py), and these totals are then all that is left of them."""
    from ..audit.models import Purge
    from ..reports.sales import document_figures  # the reports' reading of the documents is the reference

    kept_before = session.scalar(select(func.max(Purge.before)))
    stale = delete(SalesDaily)
    if kept_before is not None:
        stale = stale.where(SalesDaily.day >= kept_before)
    session.execute(stale)
    rows = document_figures(session, group_by="day_store_user", period=None, store_ids=None)
    if rows:
        session.execute(insert(SalesDaily), [
            {"store_id": store_id, "day": day, "user_id": user_id, "quantity": f.quantity, "revenue": f.revenue,
             "cost": f.cost, "sales_count": f.sales_count, "discount": f.discount}
            for (day, store_id, user_id), f in rows.items() if kept_before is None or day >= kept_before])
    session.flush()
    return session.scalar(select(func.count()).select_from(SalesDaily))
