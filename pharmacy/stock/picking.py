"""Taking stock for a document's lines (a sale, a transfer): one locking statement for every lot of the lines'
products, which also says which of them are recalled; recalled lots refused with their decision named, then FEFO
(or the named lot) line by line; a named lot held only in quarantine is refused as such."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists
from sqlalchemy.orm import Session

from ..catalog.models import Product, ProductUnit
from ..errors import DomainError
from ..recalls.models import Recall
from ..recalls.services import blocking, recalls_of, refuse_recalled
from .fefo import LotPool, is_expired
from .models import StockLot
from .quarantine import refuse_quarantined
from .services import as_on_hand, lots_for_update_marked


@dataclass
class Take:
    """One document line as it will be written: what it moves and the (lot row, base units) it takes."""

    line: dict
    product: Product
    unit: ProductUnit
    taken: list[tuple[StockLot, int]]


_RECALLED = exists().where(Recall.__table__.c.product_id == StockLot.__table__.c.product_id).label("recalled")


def take_plan(session: Session, store_id: int, lines: list[dict], resolved, *, today: date) -> list[Take]:
    """Lock the lines' lots (one statement) and pick them line by line; nothing is written yet."""
    locked, recalled = lots_for_update_marked(session, store_id, {product.id for product, _unit in resolved},
                                              mark=_RECALLED)
    rows = {lot.id: lot for lots in locked.values() for lot in lots}
    pool = LotPool({product_id: as_on_hand(lots) for product_id, lots in locked.items()})
    # The lots said which products are recalled; a product without a sellable lot is asked about on its own.
    unseen = {product_id for product_id, lots in locked.items() if not lots}
    recalls = recalls_of(session, recalled | unseen) if recalled or unseen else {}  # the lots asked the probe
    plan = []
    for index, (line, (product, unit)) in enumerate(zip(lines, resolved, strict=True)):
        recall = blocking(recalls.get(product.id, []), line.get("lot"))
        if recall is not None:
            refuse_recalled(session, product.id, line.get("lot"), field=f"lines[{index}].lot", recall=recall)
        try:
            picks = pool.take(product.id, line["quantity"] * unit.factor, today=today, lot=line.get("lot"),
                              field=f"lines[{index}].quantity")
        except DomainError:
            if not any(c.lot == line.get("lot") and c.quantity and not is_expired(c.expiry, today)
                       for c in pool.lots(product.id)):
                refuse_quarantined(session, store_id=store_id, product=product, lot=line.get("lot"),
                                   field=f"lines[{index}].lot")
            raise
        plan.append(Take(line, product, unit, [(rows[picked.id], quantity) for picked, quantity in picks]))
    return plan
