"""Verifying the hash chains against the documents, the head rows, the witness file kept outside the database and
the heads printed on day reports (chain.py appends them); every chain (or one store's) at once, the outcome kept for
the dashboard."""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import Message, msg
from ..models_base import chunks
from ..stores.models import Store
from .canonical import INSERT_CHECKED, SHAPES, content_hash, entry_hash
from .models import CATALOGUE_CHAIN, GENESIS, AuditVerification, JournalEntry, JournalHead, PurgedRange


@dataclass(frozen=True)
class Finding:
    """The first thing wrong in a chain: `problem` altered | deleted | inserted, the document it concerns, and what
    was found (a message id with its parameters: English on the console, the UI language on the pages)."""

    store_id: int
    problem: str
    document: str
    detail: Message


@dataclass(frozen=True)
class PrintedHead:
    """A chain head copied from a printed day report: its entry number, the entry hash (or its first digits) and
    the document it named ("" when not copied)."""

    seq: int
    hash: str
    number: str = ""


@dataclass(frozen=True)
class ChainReport:
    store_id: int
    entries: int
    finding: Finding | None


def _documents(session: Session, kind: str, ids: list[int]) -> dict[int, object]:
    model = SHAPES[kind].model
    found = {}
    for chunk in chunks(ids):
        found.update({doc.id: doc for doc in session.scalars(select(model).where(model.id.in_(chunk)))})
    return found


def verify_chain(session: Session, store_id: int, witnessed: dict[int, str] | None = None,
                 purges: set[tuple[int, int]] | None = None, printed: list[PrintedHead] = ()) -> ChainReport:
    """Recompute one chain. `witnessed`: seq -> entry hash of this chain as the file outside the database saw it;
    `purges`: the purged ranges that file holds for it (None: no file, the database's ranges are taken as they are);
    `printed`: heads of this chain copied from printed day reports."""
    entries = session.scalars(select(JournalEntry).where(JournalEntry.store_id == store_id)
                              .order_by(JournalEntry.seq)).all()
    finding = _walk(session, store_id, entries, purges)
    if finding is None:  # a chain also checks the prices in force against the changes it recorded
        from .prices import price_altered, store_price_altered

        finding = price_altered(session) if store_id == CATALOGUE_CHAIN else store_price_altered(session, store_id)
    finding = (finding or _against_head(session, store_id, entries) or _against_printed(store_id, entries, printed)
               or _against_witness(store_id, entries, witnessed or {}))
    return ChainReport(store_id, len(entries), finding or _inserted(session, store_id, entries))


def _walk(session: Session, store_id: int, entries: list[JournalEntry],
          witnessed_purges: set[tuple[int, int]] | None = None) -> Finding | None:
    by_kind: dict[str, list[int]] = {}
    for entry in entries:
        by_kind.setdefault(entry.kind, []).append(entry.document_id)
    documents = {kind: _documents(session, kind, ids) for kind, ids in by_kind.items()}
    purged = session.execute(select(PurgedRange.seq_from, PurgedRange.seq_to).where(PurgedRange.store_id == store_id)
                             .order_by(PurgedRange.seq_from)).all()
    if witnessed_purges is not None:  # a range only the database knows (added by hand) excuses nothing
        purged = [(low, high) for low, high in purged if (low, high) in witnessed_purges]
    starts = [low for low, _high in purged]
    prev, seq = GENESIS, 0
    for entry in entries:
        name = entry.document_number
        if entry.seq != seq + 1:
            return Finding(store_id, "deleted", name, msg(
                "entries %(first)s–%(last)s of the chain are missing just before document %(document)s",
                first=seq + 1, last=entry.seq - 1, document=name))
        if entry.prev_hash != prev:
            return Finding(store_id, "inserted", name, msg(
                "the entry of document %(document)s does not follow the one before it (an entry was inserted, "
                "altered or deleted)", document=name))
        if entry.entry_hash != entry_hash(store_id=store_id, seq=entry.seq, kind=entry.kind,
                                          document_id=entry.document_id, number=name,
                                          content=entry.content_hash, prev=entry.prev_hash):
            return Finding(store_id, "altered", name, msg("the journal entry of document %(document)s was altered",
                                                          document=name))
        document = documents[entry.kind].get(entry.document_id)
        at = bisect_right(starts, entry.seq) - 1
        if document is None and at >= 0 and purged[at][1] >= entry.seq:
            prev, seq = entry.entry_hash, entry.seq  # archived and deleted by a recorded retention purge
            continue
        if document is None:
            return Finding(store_id, "deleted", name, msg("document %(document)s was deleted from the database",
                                                          document=name))
        if content_hash(entry.kind, document) != entry.content_hash:
            return Finding(store_id, "altered", name, msg(
                "the content of document %(document)s was altered after it was written", document=name))
        prev, seq = entry.entry_hash, entry.seq
    return None


def _against_head(session: Session, store_id: int, entries: list[JournalEntry]) -> Finding | None:
    head = session.get(JournalHead, store_id)
    last = entries[-1] if entries else None
    if head is None or (last is not None and head.seq == last.seq and head.hash == last.entry_hash):
        return None
    return Finding(store_id, "deleted", last.document_number if last else "", msg(
        "the newest entries after %(document)s were deleted (the chain's head records entry %(seq)s)",
        document=_last_name(last), seq=head.seq))


def _last_name(last: JournalEntry | None) -> str | Message:
    return last.document_number if last else msg("the start of the chain")


def _against_witness(store_id: int, entries: list[JournalEntry], witnessed: dict[int, str]) -> Finding | None:
    if not witnessed:
        return None
    by_seq = {entry.seq: entry for entry in entries}
    last = entries[-1] if entries else None
    top = max(witnessed)
    if last is None or top > last.seq:
        return Finding(store_id, "deleted", last.document_number if last else "", msg(
            "the head file outside the database records entry %(top)s, the database only goes to %(last)s: the "
            "documents after %(document)s were deleted", top=top, last=last.seq if last else 0,
            document=_last_name(last)))
    for seq in sorted(witnessed):
        entry = by_seq.get(seq)
        if entry is not None and entry.entry_hash != witnessed[seq]:
            return Finding(store_id, "altered", entry.document_number, msg(
                "the chain was rewritten from document %(document)s (it differs from the head file)",
                document=entry.document_number))
    return None


def _against_printed(store_id: int, entries: list[JournalEntry], printed: list[PrintedHead]) -> Finding | None:
    by_seq = {entry.seq: entry for entry in entries}
    last = entries[-1] if entries else None
    for head in sorted(printed, key=lambda head: head.seq):
        entry = by_seq.get(head.seq)
        if entry is None and (last is None or head.seq > last.seq):
            first = last.seq + 1 if last else 1
            if head.number:
                return Finding(store_id, "deleted", head.number, msg(
                    "entries %(first)s–%(seq)s were deleted, up to document %(document)s of a printed day report",
                    first=first, seq=head.seq, document=head.number))
            return Finding(store_id, "deleted", last.document_number if last else "", msg(
                "entries %(first)s–%(seq)s were deleted (the head of a printed day report)", first=first,
                seq=head.seq))
        if entry is not None and not entry.entry_hash.startswith(head.hash):
            return Finding(store_id, "altered", entry.document_number, msg(
                "the chain was rewritten up to entry %(seq)s, document %(document)s (it differs from a printed day "
                "report)", seq=head.seq, document=entry.document_number))
    return None


def _inserted(session: Session, store_id: int, entries: list[JournalEntry]) -> Finding | None:
    head = session.get(JournalHead, store_id)
    if head is None:
        return None
    chained: dict[str, set[int]] = {}
    for entry in entries:
        chained.setdefault(entry.kind, set()).add(entry.document_id)
    for kind, store_column in INSERT_CHECKED.items():
        model = SHAPES[kind].model
        stmt = select(model.id, model.number).where(getattr(model, store_column) == store_id,
                                                    model.created_at >= head.started_at).order_by(model.id)
        for document_id, number in session.execute(stmt):
            if document_id not in chained.get(kind, set()):
                return Finding(store_id, "inserted", number, msg(
                    "document %(document)s is not in the chain (inserted straight into the database)",
                    document=number))
    return None


def chained_stores(session: Session) -> list[int]:
    return list(session.scalars(select(JournalHead.store_id).order_by(JournalHead.store_id)))


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
