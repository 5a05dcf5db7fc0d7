"""Stock counts: a snapshot of the expected quantity per lot at the start, counted quantities (repeatable, lots the
system did not know allowed), a variance at submission, and adjustment movements at the owner's approval.

Sales go on while counting. A count says what was on the shelf; the adjustment is counted − expected at the
snapshot, applied to the lot as it is at approval, so a sale made mid-count is never "lost" (nor counted twice)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..catalog.queries import products_with_units
from ..documents import resolve_lines
from ..errors import Conflict, Forbidden, Invalid, msg
from ..numbering import next_number
from ..outbox.services import NATIONAL_DRUG_DB, enqueue
from ..stock.models import StockLot
from ..stock.services import DocumentRef, lots_for_update, put_stock, take_lot
from ..stores.models import Store, User
from ..stores.services import require_store_access
from .models import APPROVED, CANCELLED, COUNTING, SCOPES, SUBMITTED, StockCount, StockCountLine

STOCK_COUNT = "stock_count"  # outbox kind and document type (v2 stock-taking; the legacy API has none)


def start_count(session: Session, *, store: Store, scope: str, actor: User, now: datetime,
                product_ids: list[int] | None = None, blind: bool = False) -> StockCount:
    """Open a count of every lot on hand (scope `all`) or of some products, with their expected quantities now."""
    require_store_access(actor, store.id)
    if scope not in SCOPES:
        raise Invalid(msg("The count scope must be one of: %(choices)s.", choices=", ".join(SCOPES)), field="scope")
    if scope == "products" and not product_ids:
        raise Invalid(msg("A count by products needs the list of products."), field="product_ids")
    stmt = select(StockLot).where(StockLot.store_id == store.id, StockLot.quantity > 0)
    if scope == "products":
        known = products_with_units(session, product_ids)
        missing = [pid for pid in product_ids if pid not in known]
        if missing:
            raise Invalid(msg("Product #%(id)s not found.", id=missing[0]), field="product_ids")
        stmt = stmt.where(StockLot.product_id.in_(product_ids))
    lots = session.execute(stmt.order_by(StockLot.product_id, StockLot.expiry, StockLot.id)
                           .with_for_update(of=StockLot)).scalars().all()
    count = StockCount(store_id=store.id, status=COUNTING, scope=scope, blind=bool(blind), user_id=actor.id,
                       created_at=now, product_ids=sorted(set(product_ids)) if scope == "products" else None,
                       number=next_number(session, store_id=store.id, store_code=store.code, series="count"))
    count.lines = [StockCountLine(product_id=lot.product_id, stock_lot_id=lot.id, lot=lot.lot, expiry=lot.expiry,
                                  expected=lot.quantity, unit_cost=lot.unit_cost) for lot in lots]
    session.add(count)
    session.flush()
    return count


def _require(count: StockCount, *statuses: str) -> None:
    if count.status not in statuses:
        raise Conflict(msg("Stock count %(number)s is %(status)s.",
                           number=count.number, status=count.status), field="status")


def record_counts(session: Session, count: StockCount, *, lines: list[dict], actor: User) -> StockCount:
    """Set the counted quantity of lots (product_id, lot, expiry?, unit, quantity in that unit); a lot the system
    did not know needs its expiry and joins the count with nothing expected."""
    require_store_access(actor, count.store_id)
    _require(count, COUNTING)
    resolved = resolve_lines(session, lines)
    for index, (item, (product, unit)) in enumerate(zip(lines, resolved, strict=True)):
        if count.scope == "products" and product.id not in count.product_ids:
            raise Invalid(msg("%(product)s is outside the scope of this stock count.",
                              product=product.name), field=f"lines[{index}].product_id")
        matches = [line for line in count.lines if line.product_id == product.id and line.lot == item["lot"]
                   and item.get("expiry") in (None, line.expiry)]
        if len(matches) > 1:
            raise Invalid(msg("Lot %(lot)s has several expiries: write the expiry.",
                              lot=item['lot']), field=f"lines[{index}].expiry")
        if not matches:
            if item.get("expiry") is None:
                raise Invalid(msg("Lot %(lot)s is not in the system yet: write its expiry.", lot=item['lot']),
                              field=f"lines[{index}].expiry")
            line = StockCountLine(product_id=product.id, lot=item["lot"], expiry=item["expiry"], expected=0,
                                  unit_cost=0)
            count.lines.append(line)
            matches = [line]
        matches[0].counted = item["quantity"] * unit.factor
    session.flush()
    return count


def submit_count(session: Session, count: StockCount, *, actor: User, now: datetime) -> StockCount:
    """Close the counting: lots not counted count as none; the variance per lot is then fixed."""
    require_store_access(actor, count.store_id)
    _require(count, COUNTING)
    for line in count.lines:
        if line.counted is None:
            line.counted = 0
    count.status, count.submitted_at = SUBMITTED, now
    session.flush()
    return count


def approve_count(session: Session, count: StockCount, *, actor: User, now: datetime) -> StockCount:
    """The owner's approval: one `adjustment` movement per lot with a variance, reported (v2 stock-taking)."""
    if not actor.is_owner:
        raise Forbidden(msg("Only an owner may approve a stock count."), field="status")
    _require(count, SUBMITTED)
    document = DocumentRef(STOCK_COUNT, count.id)
    locked = lots_for_update(session, count.store_id, {line.product_id for line in count.lines})  # id order
    rows = {lot.id: lot for lots in locked.values() for lot in lots}
    for line in count.lines:
        if not line.variance:
            line.adjusted = 0
            continue
        if line.variance > 0:
            lot = put_stock(session, store_id=count.store_id, product_id=line.product_id, lot=line.lot,
                            expiry=line.expiry, quantity=line.variance, kind="adjustment", document=document,
                            actor=actor, now=now)
            line.stock_lot_id, line.adjusted = lot.id, line.variance
            continue
        lot = rows[line.stock_lot_id]
        take = min(lot.quantity, -line.variance)  # what is left of the lot after mid-count sales
        if take:
            take_lot(session, lot, take, kind="adjustment", document=document, actor=actor, now=now)
        line.adjusted = -take
    count.status, count.approved_at, count.approved_by_id = APPROVED, now, actor.id
    session.flush()
    if any(line.product.is_drug for line in count.lines):
        enqueue(session, target=NATIONAL_DRUG_DB, kind=STOCK_COUNT, store_id=count.store_id,
                document_type=STOCK_COUNT, document_id=count.id, document_number=count.number, now=now)
    return count


def cancel_count(session: Session, count: StockCount, *, actor: User) -> StockCount:
    require_store_access(actor, count.store_id)
    _require(count, COUNTING, SUBMITTED)
    count.status = CANCELLED
    session.flush()
    return count


def variance_rows(count: StockCount) -> list[StockCountLine]:
    """The lots with a variance, largest value at cost first."""
    return sorted((line for line in count.lines if line.variance),
                  key=lambda line: (-abs(line.variance_value), -abs(line.variance), line.id))
