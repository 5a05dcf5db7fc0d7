"""Retention of the registers this area owns (quality checks, climate readings, complaints and adverse reactions):
which rows dated before a day may go, and which must stay because their lot expired less than a year ago (two years
for a controlled drug, products.special_control_type 1–6; Luật Dược Art. 42, compliance.md §1).

A row whose lot is unknown to the stock records stays (its expiry cannot be shown to be old enough); a row and its
reversal go together or stay together, so no reversal is left pointing at nothing. Ledger documents (sales,
receipts, movements …) follow the same retention rule and more (ledger_plan.py), and go with an opening-balance
carry-forward (ledger_purge.py)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ..catalog.models import Product
from ..clock import local_date, local_day_bounds
from ..models_base import chunks
from ..stock.models import StockLot
from .ledger_plan import LedgerPlan, plan_ledger
from .models import ClimateReading, CustomerReport, QualityCheck

CONTROLLED_TYPES = range(1, 7)
REGISTERS = (QualityCheck, ClimateReading, CustomerReport)


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def keep_until(expiry: date, special_control_type: int) -> date:
    """The first day a record of a lot with this expiry may be deleted."""
    return add_years(expiry, 2 if special_control_type in CONTROLLED_TYPES else 1)


@dataclass
class PurgePlan:
    before: date
    today: date
    delete: dict[str, list[int]] = field(default_factory=dict)   # table -> ids
    kept: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # table -> (id, why)
    store_ids: set[int] = field(default_factory=set)
    first_day: date | None = None
    ledger: LedgerPlan = field(default_factory=LedgerPlan)

    @property
    def total(self) -> int:
        return sum(len(ids) for ids in self.delete.values()) + len(self.ledger.groups)


def _lot_expiries(session: Session) -> dict[tuple[int, str], date]:
    stmt = select(StockLot.product_id, StockLot.lot, func.max(StockLot.expiry)).group_by(StockLot.product_id,
                                                                                          StockLot.lot)
    return {(product_id, lot): expiry for product_id, lot, expiry in session.execute(stmt)}


def _why_kept(row, today: date, expiries: dict, controls: dict[int, int]) -> str | None:
    product_id = getattr(row, "product_id", None)
    lot = getattr(row, "lot", "") or ""
    if product_id is None or not lot:
        return None
    expiry = getattr(row, "expiry", None) or expiries.get((product_id, lot))
    if expiry is None:
        return f"lot {lot}: expiry unknown"
    until = keep_until(expiry, controls.get(product_id, 0))
    return f"lot {lot} (expiry {expiry.isoformat()}) kept until {until.isoformat()}" if today < until else None


def plan_purge(session: Session, *, before: date, today: date) -> PurgePlan:
    plan = PurgePlan(before, today)
    expiries = _lot_expiries(session)
    controls = dict(session.execute(select(Product.id, Product.special_control_type)).all())
    for model in REGISTERS:
        rows = list(session.scalars(select(model).where(model.entry_date < before).order_by(model.id)))
        chosen, kept = {}, []
        for row in rows:
            why = _why_kept(row, today, expiries, controls)
            if why:
                kept.append((row.id, why))
            else:
                chosen[row.id] = row
        # a reversal and its original go together: drop pairs with one side staying, until nothing changes
        partners = dict(session.execute(select(model.id, model.reverses_id).where(
            model.reverses_id.is_not(None))).all())
        partners.update({original: reversal for reversal, original in list(partners.items())})
        changed = True
        while changed:
            changed = False
            for row_id in list(chosen):
                partner = partners.get(row_id)
                if partner is not None and partner not in chosen:
                    del chosen[row_id]
                    kept.append((row_id, f"its reversal pair #{partner} stays"))
                    changed = True
        name = model.__tablename__
        plan.delete[name] = sorted(chosen)
        plan.kept[name] = kept
        plan.store_ids |= {row.store_id for row in chosen.values()}
        days = [row.entry_date for row in chosen.values()]
        if days:
            plan.first_day = min([*days, plan.first_day or days[0]])
    plan.ledger = plan_ledger(session, cutoff=local_day_bounds(before), today=today, keep_until=keep_until)
    for group in plan.ledger.groups:
        plan.store_ids |= group.store_ids
        first = local_date(min(group.created))
        plan.first_day = min(first, plan.first_day or first)
    return plan


def execute_purge(session: Session, plan: PurgePlan) -> int:
    """Delete the planned rows (reversals before the rows they reverse); the count deleted."""
    deleted = 0
    for model in REGISTERS:
        ids = plan.delete.get(model.__tablename__, [])
        for only_reversals in (True, False):
            for chunk in chunks(ids):
                stmt = delete(model).where(model.id.in_(chunk))
                if only_reversals:
                    stmt = stmt.where(model.reverses_id.is_not(None))
                deleted += session.execute(stmt).rowcount
    session.flush()
    return deleted
