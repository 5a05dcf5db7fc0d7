"""The recall book (sổ theo dõi thu hồi, compliance.md §1): per decision and lot, what is in stock and quarantined,
what went back to whom and when, and how many sales there are to contact."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..issues.models import GoodsIssue, IssueLine
from ..stock.models import QUARANTINE, StockLot
from .models import Recall
from .services import affected_sales


@dataclass(frozen=True)
class BookRow:
    recall: Recall
    deadline: date
    lot: str
    in_stock: int       # sellable units left (0 once the recall has run)
    quarantined: int
    returned: int
    returned_to: str
    returned_at: datetime | None
    sales_to_contact: int


def _stock(session: Session, recall: Recall, store_ids: list[int] | None) -> dict[tuple[str, str], int]:
    stmt = (select(StockLot.lot, StockLot.state, func.sum(StockLot.quantity))
            .where(StockLot.product_id == recall.product_id).group_by(StockLot.lot, StockLot.state))
    if store_ids is not None:
        stmt = stmt.where(StockLot.store_id.in_(store_ids))
    return {(lot, state): int(total or 0) for lot, state, total in session.execute(stmt)}


def _returns(session: Session, recall: Recall, store_ids: list[int] | None) -> dict[str, tuple[int, str, datetime]]:
    stmt = (select(IssueLine.lot, IssueLine.base_quantity, GoodsIssue.receiver_name, GoodsIssue.created_at)
            .join(GoodsIssue, GoodsIssue.id == IssueLine.issue_id).where(GoodsIssue.recall_id == recall.id)
            .order_by(GoodsIssue.created_at))
    if store_ids is not None:
        stmt = stmt.where(GoodsIssue.store_id.in_(store_ids))
    found: dict[str, tuple[int, str, datetime]] = {}
    for lot, quantity, receiver, at in session.execute(stmt):
        before = found.get(lot, (0, "", at))
        names = before[1] if receiver in before[1].split("; ") else "; ".join(filter(None, (before[1], receiver)))
        found[lot] = (before[0] + quantity, names, at)
    return found


def recall_book(session: Session, recalls: list[Recall], store_ids: list[int] | None) -> list[BookRow]:
    rows = []
    for recall in recalls:
        stock = _stock(session, recall, store_ids)
        returns = _returns(session, recall, store_ids)
        sales = affected_sales(session, recall, store_ids)
        lots = ([row.lot for row in recall.lot_rows] if not recall.all_lots
                else sorted({lot for lot, _state in stock} | set(returns)) or ["*"])
        for lot in lots:
            returned = returns.get(lot, (0, "", None))
            rows.append(BookRow(
                recall, recall.deadline, lot,
                sum(q for (name, state), q in stock.items() if name == lot and state != QUARANTINE),
                stock.get((lot, QUARANTINE), 0), returned[0], returned[1], returned[2],
                len({sale.sale_id for sale in sales if sale.lot == lot}),
            ))
    return rows
