"""Recording goods issues (return to supplier, destruction): named lots out, ledger and outbox in one transaction."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from ..documents import resolve_line
from ..errors import InsufficientStock, Invalid, msg
from ..numbering import next_number
from ..outbox.services import NATIONAL_DRUG_DB, enqueue
from ..stock.models import QUARANTINE, StockLot
from ..stock.services import DocumentRef, lots_for_update, take_lot
from ..stores.models import Store, User
from .models import ISSUE_KINDS, GoodsIssue, IssueLine


def _on_hand_view(lots: list[StockLot]) -> list[dict]:
    """Everything on hand, expired lots included: they are exactly what gets destroyed or sent back."""
    return [
        {"lot": lot.lot, "expiry": lot.expiry.isoformat(), "quantity": lot.quantity} for lot in lots if lot.quantity
    ]


def _lots_named(lots: list[StockLot], line: dict, index: int) -> list[StockLot]:
    """The rows of the named lot: quarantined ones first (what is usually destroyed or sent back), or only those of
    the state the line names."""
    lot, expiry, state = line["lot"], line.get("expiry"), line.get("state")
    named = [row for row in lots if row.lot == lot and (expiry is None or row.expiry == expiry)
             and (state is None or row.state == state)]
    named.sort(key=lambda row: (row.state != QUARANTINE, row.expiry, row.id))
    if not named:
        raise Invalid(msg("Lot %(lot)s expiring %(expiry)s is not in stock.", lot=lot, expiry=expiry.isoformat())
                      if expiry else msg("Lot %(lot)s is not in stock.", lot=lot), field=f"lines[{index}].lot")
    return named


def record_issue(
    session: Session,
    *,
    store: Store,
    kind: str,
    lines: list[dict],
    note: str,
    actor: User,
    now: datetime,
    receiver_name: str = "",
    recall_id: int | None = None,
) -> GoodsIssue:
    """Goods out. Each line: product_id, unit, quantity, lot, expiry? (when one lot number has two expiries)."""
    if kind not in ISSUE_KINDS:
        raise Invalid(msg("The issue kind must be one of: %(choices)s.", choices=", ".join(ISSUE_KINDS)), field="kind")
    note = (note or "").strip()
    if not note:
        raise Invalid(msg("Write why the goods leave (destroyed, returned to the supplier…)."), field="note")
    if not lines:
        raise Invalid(msg("An issue needs at least one line."), field="lines")
    issue = GoodsIssue(
        store_id=store.id, kind=kind, receiver_name=(receiver_name or "").strip(), note=note, user_id=actor.id,
        recall_id=recall_id,
        created_at=now, number=next_number(session, store_id=store.id, store_code=store.code, series="issue"),
    )
    session.add(issue)
    session.flush()
    document = DocumentRef("issue", issue.id)
    reportable = False
    for index, line in enumerate(lines):
        product, unit = resolve_line(session, line, index)
        lots = lots_for_update(session, store.id, [product.id], state=None)[product.id]
        named = _lots_named(lots, line, index)
        needed = line["quantity"] * unit.factor
        if sum(row.quantity for row in named) < needed:
            have = sum(row.quantity for row in named)
            raise InsufficientStock(
                msg("Lot %(lot)s has only %(have)s %(unit)s, not the %(needed)s to issue.", lot=line["lot"], have=have,
                    unit=product.base_unit.name, needed=needed),
                field=f"lines[{index}].quantity", available=_on_hand_view(lots),
            )
        remaining = needed
        for row in named:
            take = min(row.quantity, remaining)
            if not take:
                continue
            unit_name, factor, quantity = _as_entered(unit, line["quantity"], take, needed)
            cost = row.unit_cost
            take_lot(session, row, take, kind="issue", document=document, actor=actor, now=now)
            issue.lines.append(IssueLine(
                product_id=product.id, stock_lot_id=row.id, unit_name=unit_name, unit_factor=factor,
                quantity=quantity, base_quantity=take, lot=row.lot, expiry=row.expiry, unit_cost=cost,
            ))
            remaining -= take
        reportable = reportable or product.is_drug
    session.flush()
    if reportable:
        enqueue(
            session, target=NATIONAL_DRUG_DB, kind="issue", store_id=store.id, document_type="issue",
            document_id=issue.id, document_number=issue.number, now=now,
        )
    return issue


def _as_entered(unit, quantity: int, take: int, needed: int) -> tuple[str, int, int]:
    """The line as typed when one lot row gives it all; in base units when it is split across expiries."""
    if take == needed:
        return unit.name, unit.factor, quantity
    return unit.product.base_unit.name, 1, take
