"""Verifying every chain (or one store's) and keeping the outcome for the dashboard."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import Message, msg
from ..stores.models import Store
from .chain import ChainReport, PrintedHead, chained_stores, verify_chain
from .models import CATALOGUE_CHAIN, AuditVerification

PROBLEMS = {"altered": msg("altered"), "deleted": msg("deleted"), "inserted": msg("inserted")}
INTACT = msg("The journal chain is intact.")


def chain_name(session: Session, store_id: int) -> Message:
    if store_id == CATALOGUE_CHAIN:
        return msg("price list")
    store = session.get(Store, store_id)
    return msg("store %(code)s", code=store.code) if store else msg("store #%(id)s", id=store_id)


def finding_message(session: Session, report: ChainReport) -> Message:
    """One chain's finding as a sentence: the chain, what happened, and the detail."""
    finding = report.finding
    return msg("%(chain)s: %(problem)s — %(detail)s", chain=chain_name(session, report.store_id),
               problem=PROBLEMS[finding.problem], detail=finding.detail)


def verify_chains(session: Session, *, witnessed: dict[int, dict[int, str]], now: datetime,
                  store_ids: list[int] | None = None, purges: dict[int, set[tuple[int, int]]] | None = None,
                  printed: dict[int, list[PrintedHead]] | None = None,
                  ) -> tuple[list[ChainReport], AuditVerification]:
    """Check the chains (every one when `store_ids` is None) and record the run (flushed, not committed): its
    findings as message ids with their parameters (rendered in the reader's language), `message` in English.
    `purges`: the purged ranges per chain the witness file holds (None without a file)."""
    ids = chained_stores(session) if store_ids is None else store_ids
    printed = printed or {}
    if store_ids is None:  # a chain the database lost entirely still has its lines in the witness file
        ids = sorted(set(ids) | set(witnessed) | set(printed))
    reports = [verify_chain(session, store_id, witnessed.get(store_id),
                            None if purges is None else purges.get(store_id, set()), printed.get(store_id, []))
               for store_id in ids]
    found = [finding_message(session, report) for report in reports if report.finding is not None]
    message = "; ".join(str(sentence) for sentence in found) or str(INTACT)
    run = AuditVerification(at=now, ok=not found, entries=sum(r.entries for r in reports), message=message[:1000],
                            findings=[sentence.as_json() for sentence in found])
    session.add(run)
    session.flush()
    return reports, run


def run_messages(run: AuditVerification) -> list[Message] | None:
    """The run's findings as sentences; None for a run kept before they were (its `message` is the text)."""
    if run.findings is None:
        return None
    return [Message.from_json(item) for item in run.findings] or [INTACT]


def last_verification(session: Session) -> AuditVerification | None:
    return session.scalars(select(AuditVerification).order_by(AuditVerification.id.desc()).limit(1)).first()
