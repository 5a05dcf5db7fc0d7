"""Sending a recall's quarantined stock of one store back to the supplier: one goods issue, reported as a recall."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import Invalid, msg
from ..issues.models import GoodsIssue
from ..issues.services import record_issue
from ..stock.models import QUARANTINE, StockLot
from ..stores.models import Store, User
from ..wording import record_text
from .models import Recall


def return_recalled_stock(session: Session, recall: Recall, *, store: Store, receiver_name: str, actor: User,
                          now: datetime) -> GoodsIssue:
    """Every quarantined unit of the recall's lots in the store, out as `recall_return` with the recall reason."""
    rows = session.execute(
        select(StockLot).where(StockLot.store_id == store.id, StockLot.product_id == recall.product_id,
                               StockLot.state == QUARANTINE, StockLot.quantity > 0,
                               *(() if recall.all_lots else (StockLot.lot.in_([r.lot for r in recall.lot_rows]),)))
        .order_by(StockLot.expiry, StockLot.lot)
    ).scalars().all()
    if not rows:
        raise Invalid(msg("Store %(store)s has no quarantined stock of decision %(decision)s left.",
                          store=store.code, decision=recall.decision_number),
                      field="store_id")
    unit = recall.product.base_unit.name
    lines = [{"product_id": row.product_id, "unit": unit, "quantity": row.quantity, "lot": row.lot,
              "expiry": row.expiry, "state": QUARANTINE} for row in rows]
    note = record_text(msg("Recall under decision %(number)s of %(date)s (level %(level)s): %(reason)s",
                           number=recall.decision_number, date=f"{recall.decision_date:%d/%m/%Y}",
                           level=recall.level, reason=recall.reason))
    return record_issue(session, store=store, kind="recall_return", lines=lines, note=note[:500], actor=actor,
                        now=now, receiver_name=receiver_name, recall_id=recall.id)
