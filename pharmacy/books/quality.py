"""The quality-control book (sổ kiểm soát chất lượng): a check of one lot; a "fail" quarantines the lot's sellable
units in the store through the stock quarantine service."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..catalog.services import get_product
from ..errors import Invalid, msg
from ..stock.models import SELLABLE, StockLot
from ..stock.quarantine import move_state
from ..stores.models import User
from ..wording import record_text
from .entries import check_open
from .models import CONCLUSIONS, FAIL, QualityCheck
from .rules import BookRules

REQUIRED_TEXT = {"lot": 50, "unit": 50, "sensory": 500}


def record_quality_check(session: Session, *, store_id: int, data: dict, actor: User, now: datetime,
                         rules: BookRules) -> QualityCheck:
    """data: entry_date, product_id, lot, expiry, unit, quantity_checked, sensory, conclusion, reason?, action?"""
    check_open(data["entry_date"], rules=rules, now=now, field="entry_date")
    product = get_product(session, data["product_id"])
    texts = {name: (data.get(name) or "").strip() for name in ("lot", "unit", "sensory", "reason", "action")}
    for name in REQUIRED_TEXT:
        if not texts[name]:
            raise Invalid(msg("Must not be empty."), field=name)
    if data["conclusion"] not in CONCLUSIONS:
        raise Invalid(msg("The conclusion must be pass or fail."), field="conclusion")
    if data["quantity_checked"] <= 0:
        raise Invalid(msg("The quantity checked must be more than 0."), field="quantity_checked")
    if data["conclusion"] == FAIL and not texts["action"]:
        raise Invalid(msg("The lot failed: write the action taken."), field="action")
    check = QualityCheck(store_id=store_id, entry_date=data["entry_date"], product_id=product.id, lot=texts["lot"],
                         expiry=data["expiry"], unit=texts["unit"], quantity_checked=data["quantity_checked"],
                         sensory=texts["sensory"], conclusion=data["conclusion"], reason=texts["reason"],
                         action=texts["action"], user_id=actor.id, created_at=now, quarantined=0)
    session.add(check)
    session.flush()
    if data["conclusion"] == FAIL:
        sellable = sum(session.scalars(select(StockLot.quantity).where(
            StockLot.store_id == store_id, StockLot.product_id == product.id, StockLot.lot == check.lot,
            StockLot.expiry == check.expiry, StockLot.state == SELLABLE)))
        if sellable:
            reason = record_text(msg("Quality check #%(id)s: failed", id=check.id))
            move_state(session, store_id=store_id, to_state="quarantine", actor=actor, now=now,
                       lines=[{"product_id": product.id, "lot": check.lot, "expiry": check.expiry,
                               "quantity": sellable, "reason": reason}])
        check.quarantined = sellable
        session.flush()
    return check
