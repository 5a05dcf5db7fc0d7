"""Verifying every chain (or one store's) and keeping the outcome for the dashboard."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..stores.models import Store
from .chain import ChainReport, chained_stores, verify_chain
from .models import CATALOGUE_CHAIN, AuditVerification

PROBLEMS = {"altered": "bị sửa", "deleted": "bị xóa", "inserted": "bị chèn"}


def chain_name(session: Session, store_id: int) -> str:
    if store_id == CATALOGUE_CHAIN:
        return "bảng giá"
    store = session.get(Store, store_id)
    return f"cửa hàng {store.code}" if store else f"cửa hàng #{store_id}"


def verify_chains(session: Session, *, witnessed: dict[int, dict[int, str]], now: datetime,
                  store_ids: list[int] | None = None, purges: dict[int, set[tuple[int, int]]] | None = None,
                  ) -> tuple[list[ChainReport], AuditVerification]:
    """Check the chains (every one when `store_ids` is None) and record the run (flushed, not committed).
    `purges`: the purged ranges per chain the witness file holds (None without a file)."""
    ids = chained_stores(session) if store_ids is None else store_ids
    if store_ids is None:  # a chain the database lost entirely still has its lines in the witness file
        ids = sorted(set(ids) | set(witnessed))
    reports = [verify_chain(session, store_id, witnessed.get(store_id),
                            None if purges is None else purges.get(store_id, set())) for store_id in ids]
    failed = [report for report in reports if report.finding is not None]
    message = "; ".join(f"{chain_name(session, r.store_id)}: {PROBLEMS[r.finding.problem]} — {r.finding.detail}"
                        for r in failed) or "Chuỗi nhật ký nguyên vẹn."
    run = AuditVerification(at=now, ok=not failed, entries=sum(r.entries for r in reports), message=message[:1000])
    session.add(run)
    session.flush()
    return reports, run


def last_verification(session: Session) -> AuditVerification | None:
    return session.scalars(select(AuditVerification).order_by(AuditVerification.id.desc()).limit(1)).first()
