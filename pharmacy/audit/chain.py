"""Appending documents to their store's hash chain, and verifying the chains against the documents, the head rows
and the witness file kept outside the database.

Append: one upsert on the store's head row (it stays locked until commit, so two documents of one store queue up
and the chain never forks; taken last, like the document number), one insert of the entry, one update of the head
(on PostgreSQL the insert and the update are one statement)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from .canonical import INSERT_CHECKED, SHAPES, content_hash, entry_hash
from .models import CATALOGUE_CHAIN, GENESIS, JournalEntry, JournalHead

PENDING_HEADS = "journal_heads"      # session.info: {store_id: (seq, hash)} written since the last commit
PENDING_DOCUMENTS = "journal_documents"  # session.info: [(kind, id, number, store_id)] for the audit trail


def _upsert(insert_):
    stmt = insert_(JournalHead).values(store_id=bindparam("store_id"), seq=1, hash=GENESIS,
                                       started_at=bindparam("now"))
    return stmt.on_conflict_do_update(index_elements=[JournalHead.store_id],
                                      set_={"seq": JournalHead.seq + 1}).returning(JournalHead.seq, JournalHead.hash)


_ADVANCE = {True: _upsert(postgresql_insert), False: _upsert(sqlite_insert)}
_SET_HEAD = update(JournalHead).where(JournalHead.store_id == bindparam("chain")).values(hash=bindparam("head"))
_ENTRY_COLUMNS = ("store_id", "seq", "kind", "document_id", "document_number", "content_hash", "prev_hash",
                  "entry_hash", "created_at")
_entries = JournalEntry.__table__
# PostgreSQL: the entry's insert rides in the head's update (a data-modifying WITH), one round trip fewer while
# the store's head row is locked.
_ENTRY_AND_HEAD = update(JournalHead.__table__).where(JournalHead.__table__.c.store_id == bindparam("chain")).values(
    hash=bindparam("head")).add_cte(insert(_entries).values(
        {name: bindparam(f"e_{name}", type_=_entries.c[name].type) for name in _ENTRY_COLUMNS}).cte("entry"))


def chain_document(session: Session, kind: str, document, *, store_id: int, now: datetime) -> str:
    """Append a just-written document (flushed, its lines loaded) to its store's chain: call it last."""
    number = document.number
    content = content_hash(kind, document)
    seq, prev = session.execute(_ADVANCE[session.get_bind().dialect.name == "postgresql"],
                                {"store_id": store_id, "now": now}).one()
    digest = entry_hash(store_id=store_id, seq=seq, kind=kind, document_id=document.id, number=number,
                        content=content, prev=prev)
    entry = {"store_id": store_id, "seq": seq, "kind": kind, "document_id": document.id, "document_number": number,
             "content_hash": content, "prev_hash": prev, "entry_hash": digest, "created_at": now}
    if session.get_bind().dialect.name == "postgresql":
        session.execute(_ENTRY_AND_HEAD, {**{f"e_{name}": value for name, value in entry.items()},
                                          "chain": store_id, "head": digest})
    else:
        session.execute(insert(JournalEntry), [entry])
        session.execute(_SET_HEAD, {"chain": store_id, "head": digest},
                        execution_options={"synchronize_session": False})
    session.info.setdefault(PENDING_HEADS, {})[store_id] = (seq, digest)
    session.info.setdefault(PENDING_DOCUMENTS, []).append((kind, document.id, number, store_id))
    return digest


@dataclass(frozen=True)
class Finding:
    """The first thing wrong in a chain: `problem` altered | deleted | inserted, and the document it concerns."""

    store_id: int
    problem: str
    document: str
    detail: str


@dataclass(frozen=True)
class ChainReport:
    store_id: int
    entries: int
    finding: Finding | None


def _documents(session: Session, kind: str, ids: list[int]) -> dict[int, object]:
    model = SHAPES[kind].model
    found = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        found.update({doc.id: doc for doc in session.scalars(select(model).where(model.id.in_(chunk)))})
    return found


def verify_chain(session: Session, store_id: int, witnessed: dict[int, str] | None = None) -> ChainReport:
    """Recompute one chain. `witnessed`: seq -> entry hash of this chain as the file outside the database saw it."""
    entries = session.scalars(select(JournalEntry).where(JournalEntry.store_id == store_id)
                              .order_by(JournalEntry.seq)).all()
    finding = _walk(session, store_id, entries)
    if store_id == CATALOGUE_CHAIN and finding is None:
        from .prices import price_altered  # the catalogue chain also checks the prices in force

        finding = price_altered(session)
    finding = finding or _against_head(session, store_id, entries) or _against_witness(store_id, entries,
                                                                                       witnessed or {})
    return ChainReport(store_id, len(entries), finding or _inserted(session, store_id, entries))


def _walk(session: Session, store_id: int, entries: list[JournalEntry]) -> Finding | None:
    by_kind: dict[str, list[int]] = {}
    for entry in entries:
        by_kind.setdefault(entry.kind, []).append(entry.document_id)
    documents = {kind: _documents(session, kind, ids) for kind, ids in by_kind.items()}
    prev, seq = GENESIS, 0
    for entry in entries:
        name = entry.document_number
        if entry.seq != seq + 1:
            return Finding(store_id, "deleted", name, f"thiếu mục {seq + 1}–{entry.seq - 1} của chuỗi ngay trước "
                                                      f"chứng từ {name}")
        if entry.prev_hash != prev:
            return Finding(store_id, "inserted", name, f"mục của chứng từ {name} không nối với mục trước "
                                                       "(có mục bị chèn, sửa hoặc xóa)")
        if entry.entry_hash != entry_hash(store_id=store_id, seq=entry.seq, kind=entry.kind,
                                          document_id=entry.document_id, number=name,
                                          content=entry.content_hash, prev=entry.prev_hash):
            return Finding(store_id, "altered", name, f"mục nhật ký của chứng từ {name} đã bị sửa")
        document = documents[entry.kind].get(entry.document_id)
        if document is None:
            return Finding(store_id, "deleted", name, f"chứng từ {name} đã bị xóa khỏi cơ sở dữ liệu")
        if content_hash(entry.kind, document) != entry.content_hash:
            return Finding(store_id, "altered", name, f"nội dung chứng từ {name} đã bị sửa sau khi ghi")
        prev, seq = entry.entry_hash, entry.seq
    return None


def _against_head(session: Session, store_id: int, entries: list[JournalEntry]) -> Finding | None:
    head = session.get(JournalHead, store_id)
    last = entries[-1] if entries else None
    if head is None or (last is not None and head.seq == last.seq and head.hash == last.entry_hash):
        return None
    name = last.document_number if last else "(đầu chuỗi)"
    return Finding(store_id, "deleted", name, f"các mục mới nhất sau {name} đã bị xóa "
                                              f"(đầu chuỗi ghi số thứ tự {head.seq})")


def _against_witness(store_id: int, entries: list[JournalEntry], witnessed: dict[int, str]) -> Finding | None:
    if not witnessed:
        return None
    by_seq = {entry.seq: entry for entry in entries}
    last = entries[-1] if entries else None
    name = last.document_number if last else "(đầu chuỗi)"
    top = max(witnessed)
    if last is None or top > last.seq:
        return Finding(store_id, "deleted", name, f"tệp đầu chuỗi ngoài cơ sở dữ liệu ghi đến mục {top}, "
                                                  f"cơ sở dữ liệu chỉ còn đến {last.seq if last else 0}: các "
                                                  f"chứng từ sau {name} đã bị xóa")
    for seq in sorted(witnessed):
        entry = by_seq.get(seq)
        if entry is not None and entry.entry_hash != witnessed[seq]:
            return Finding(store_id, "altered", entry.document_number,
                           f"chuỗi đã bị viết lại từ chứng từ {entry.document_number} (khác tệp đầu chuỗi)")
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
                return Finding(store_id, "inserted", number, f"chứng từ {number} không có trong chuỗi "
                                                             "(được chèn trực tiếp vào cơ sở dữ liệu)")
    return None


def chained_stores(session: Session) -> list[int]:
    return list(session.scalars(select(JournalHead.store_id).order_by(JournalHead.store_id)))
