"""Appending documents to their store's hash chain (verification.py recomputes the chains).

Append: one upsert on the store's head row (it stays locked until commit, so two documents of one store queue up
and the chain never forks; taken last, like the document number), one insert of the entry, one update of the head
(on PostgreSQL the insert and the update are one statement, with the document's audit row and the writes its
caller hands over riding in it). A sale takes its number and its place in the chain in one statement on
PostgreSQL (`number_and_advance`), so its store's rows are held for two round trips and the commit; a plain sale
(nothing else written with its number) is numbered and appended, with every last write, in ONE statement
(`number_and_chain`), PostgreSQL computing the hashes."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple

from sqlalchemy import (
    String,
    Table,
    TextClause,
    bindparam,
    column,
    exists,
    insert,
    literal,
    select,
    table,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from ..numbering import number_ctes, number_document, number_parameters, number_withs
from .canonical import canonical_around, content_hash, entry_hash
from .models import GENESIS, JournalEntry, JournalHead

PENDING_HEADS = "journal_heads"      # session.info: {store_id: (seq, hash)} written since the last commit
PENDING_DOCUMENTS = "journal_documents"  # session.info: [(kind, id, number, store_id)] chained, for the audit trail
Write = tuple  # (statement, parameters): one more write riding in the chain's last statement
# The audit trail's row for a chained document, as a Write whose parameter names start with "a_": set by the trail
# (the edge, which knows who acts) when it registers, so the row rides in the chain's last statement.
_document_audit: Callable[[str, int, str, int], Write] | None = None


def set_document_audit(builder: Callable[[str, int, str, int], Write] | None) -> None:
    """Install the audit trail's row builder (kind, document id, number, store id) -> write."""
    global _document_audit
    _document_audit = builder


_heads = JournalHead.__table__  # Core statements on the tables: no ORM bulk bookkeeping on the counter's hot path


def _upsert(insert_):
    stmt = insert_(_heads).values(store_id=bindparam("store_id"), seq=1, hash=GENESIS, started_at=bindparam("now"))
    return stmt.on_conflict_do_update(index_elements=[_heads.c.store_id],
                                      set_={"seq": _heads.c.seq + 1}).returning(_heads.c.seq, _heads.c.hash)


_ADVANCE = {True: _upsert(postgresql_insert), False: _upsert(sqlite_insert)}
_SET_HEAD = update(_heads).where(_heads.c.store_id == bindparam("chain")).values(hash=bindparam("head"))
_ENTRY_COLUMNS = ("store_id", "seq", "kind", "document_id", "document_number", "content_hash", "prev_hash",
                  "entry_hash", "created_at")
_entries = JournalEntry.__table__
_INSERT_ENTRY = insert(_entries)
# PostgreSQL: the entry's insert rides in the head's update (a data-modifying WITH), one round trip fewer while
# the store's head row is locked.
_ENTRY_AND_HEAD = update(_heads).where(_heads.c.store_id == bindparam("chain")).values(
    hash=bindparam("head")).add_cte(insert(_entries).values(
        {name: bindparam(f"e_{name}", type_=_entries.c[name].type) for name in _ENTRY_COLUMNS}).cte("entry"))


@lru_cache(maxsize=64)
def _with_then(stmts: tuple):
    """_ENTRY_AND_HEAD carrying more writes, by their statements: built once each."""
    if len(set(stmts)) != len(stmts):  # pragma: no cover - a programming error: their parameters would clash
        raise ValueError("a statement can ride only once in the chain's last statement")
    stmt = _ENTRY_AND_HEAD
    for index, then in enumerate(stmts):
        stmt = stmt.add_cte(then.cte(f"then_write_{index}"))
    return stmt


class Advance(NamedTuple):
    """A document's place in its store's chain, taken (the head row locked): its entry number and the previous
    entry's hash."""

    seq: int
    prev: str


@lru_cache(maxsize=16)
def _number_and_advance_sql(table: Table) -> TextClause:
    """By table: built once. The head's upsert reads the numbered row, so PostgreSQL takes the counter's lock
    before the head's: the store's lock order (counter, chain head, daily row) holds inside the one statement."""
    return text(
        f"WITH {number_ctes(table)}, advanced AS (INSERT INTO journal_heads (store_id, seq, hash, started_at) "
        "SELECT :chain, 1, :genesis, :now FROM numbered ON CONFLICT (store_id) "
        "DO UPDATE SET seq = journal_heads.seq + 1 RETURNING journal_heads.seq, journal_heads.hash) "
        "SELECT numbered.number, advanced.seq, advanced.hash FROM numbered, advanced"
    ).bindparams(bindparam("now", type_=_heads.c.started_at.type))


def _advance(session: Session, store_id: int, now: datetime) -> Advance:
    """Take the next place in the store's chain (its head row locked until commit)."""
    return Advance(*session.execute(_ADVANCE[session.get_bind().dialect.name == "postgresql"],
                                    {"store_id": store_id, "now": now}).one())


def number_and_advance(session: Session, table: Table, document, *, store_id: int, store_code: str, series: str,
                       now: datetime) -> Advance:
    """Number a document inserted under a provisional number (numbering.number_document) and take its place in
    its store's chain: one statement on PostgreSQL, three on SQLite. Then its last writes, and chain_document
    with this `advanced`: the store's counter and head stay locked from here to the commit."""
    if session.get_bind().dialect.name == "postgresql":
        number, seq, prev = session.execute(_number_and_advance_sql(table), {
            **number_parameters(document.id, store_id=store_id, store_code=store_code, series=series),
            "chain": store_id, "genesis": GENESIS, "now": now}).one()
    else:
        number = number_document(session, table, document.id, store_id=store_id, store_code=store_code,
                                 series=series)
        seq, prev = _advance(session, store_id, now)
    set_committed_value(document, "number", number)
    return Advance(seq, prev)


def chain_document(session: Session, kind: str, document, *, store_id: int, now: datetime,
                   then: Sequence[Write] = (), advanced: Advance | None = None) -> str:
    """Append a just-written document (flushed, its lines loaded) to its store's chain: call it last.

    `advanced`: its place, when number_and_advance took it with the number. `then`: (statement, parameters) of
    more writes of the document's own that must follow the head (a sale's daily row, its outbox row). On
    PostgreSQL they ride in the chain's last statement as a WITH, with the audit row (their rows are locked after
    the head, which this transaction holds already: round trips fewer while the store's rows are locked); on
    SQLite they run next. Their parameter names must not start with `e_` or `a_` nor be `chain` or `head`."""
    number = document.number
    content = content_hash(kind, document)
    seq, prev = advanced or _advance(session, store_id, now)
    digest = entry_hash(store_id=store_id, seq=seq, kind=kind, document_id=document.id, number=number,
                        content=content, prev=prev)
    entry = {"store_id": store_id, "seq": seq, "kind": kind, "document_id": document.id, "document_number": number,
             "content_hash": content, "prev_hash": prev, "entry_hash": digest, "created_at": now}
    then = list(then)
    if _document_audit is not None:
        then.append(_document_audit(kind, document.id, number, store_id))
    if session.get_bind().dialect.name == "postgresql":
        stmt = _with_then(tuple(write[0] for write in then)) if then else _ENTRY_AND_HEAD
        extra = {name: value for write in then for name, value in write[1].items()}
        session.execute(stmt, {**{f"e_{name}": value for name, value in entry.items()},
                               "chain": store_id, "head": digest, **extra})
    else:
        session.execute(_INSERT_ENTRY, entry)
        session.execute(_SET_HEAD, {"chain": store_id, "head": digest})
        for write in then:
            session.execute(*write)
    _chained(session, kind, document.id, number, store_id, seq, digest)
    return digest


def _chained(session: Session, kind: str, document_id: int, number: str, store_id: int, seq: int,
             digest: str) -> None:
    """Note a chained document for the audit trail and its head for the witness file (after commit)."""
    session.info.setdefault(PENDING_HEADS, {})[store_id] = (seq, digest)
    session.info.setdefault(PENDING_DOCUMENTS, []).append((kind, document_id, number, store_id))


def head_write(store_id: int, now: datetime) -> Write:
    """PostgreSQL: the store's chain head row, inserted at entry 0 if the store has none yet, as a write to ride
    in a statement before the document's serial section (a sale's lots' update): `number_and_chain` needs the row
    to be there. Every sale on PostgreSQL sends it, so none can hold the sale counter while waiting for a head
    another sale is inserting."""
    return _ENSURE_HEAD, {"h_store_id": store_id, "h_now": now}


# Only proposed when the head is not there: ON CONFLICT alone would wait for the sale holding the head to commit.
_ENSURE_HEAD = postgresql_insert(_heads).from_select(
    ["store_id", "seq", "hash", "started_at"],
    select(bindparam("h_store_id"), literal(0), literal(GENESIS), bindparam("h_now", type_=_heads.c.started_at.type))
    .where(~exists().where(_heads.c.store_id == bindparam("h_store_id")))).on_conflict_do_nothing(
    index_elements=[_heads.c.store_id])


_ENTRY = table("entry", column("number", String))  # the one statement's `entry` WITH, by name
# The one statement's WITH clauses after `numbered` (numbering.py). Its SQL computes the hashes as canonical.py
# does in Python: the content is the canonical text with the number (its JSON) put back between the two parts
# given; the entry hash joins store, place, kind, document, number, content hash and previous hash with "|"
# (tests/audit/test_chain_in_one.py holds both equal to Python's, whatever the content's text).
_PLACE = (
    ("prev", ("SELECT journal_heads.seq, journal_heads.hash FROM journal_heads, numbered "
             "WHERE journal_heads.store_id = :c_chain FOR UPDATE OF journal_heads"), ("seq", "hash")),
    ("hashed", ("SELECT prev.seq + 1 AS seq, prev.hash AS prev_hash, numbered.number, "
               "encode(sha256(convert_to(CAST(:c_before AS text) || to_json(numbered.number)::text "
               "|| CAST(:c_after AS text), 'UTF8')), 'hex') AS content_hash FROM prev, numbered"),
     ("seq", "prev_hash", "number", "content_hash")),
    ("entry", ("SELECT hashed.seq, hashed.prev_hash, hashed.number, hashed.content_hash, "
              "encode(sha256(convert_to(CAST(:c_chain AS text) || '|' || hashed.seq || '|' || CAST(:c_kind AS text) "
              "|| '|' || CAST(:c_document AS text) || '|' || hashed.number || '|' || hashed.content_hash || '|' "
              "|| hashed.prev_hash, 'UTF8')), 'hex') AS entry_hash FROM hashed"),
     ("seq", "prev_hash", "number", "content_hash", "entry_hash")),
    ("head", ("UPDATE journal_heads SET seq = entry.seq, hash = entry.entry_hash FROM entry "
             "WHERE journal_heads.store_id = :c_chain"), ()),
    ("written", ("INSERT INTO journal_entries (store_id, seq, kind, document_id, document_number, content_hash, "
                "prev_hash, entry_hash, created_at) SELECT :c_chain, entry.seq, :c_kind, :c_document, entry.number, "
                "entry.content_hash, entry.prev_hash, entry.entry_hash, :c_now FROM entry"), ()),
)


def _with_number(stmt, keys: frozenset):
    """An INSERT riding in the one statement with each parameter in `keys` made `<key>_before || the entry's
    number || <key>_after`: riding writes name their parameters `<prefix>_<column>`."""
    number = select(_ENTRY.c.number).scalar_subquery()
    return stmt.values({key.split("_", 1)[1]: bindparam(f"{key}_before", type_=String) + number
                        + bindparam(f"{key}_after", type_=String) for key in keys})


@lru_cache(maxsize=32)
def _in_one_sql(table_: Table, writes: tuple):
    """The statement of `number_and_chain` for a table and riding writes ((statement, keys holding the number),
    …): built once each."""
    withs = {cte.name: cte for cte in number_withs(table_)}
    for name, sql, columns in _PLACE:
        clause = text(sql)
        if name == "written":
            clause = clause.bindparams(bindparam("c_now", type_=_entries.c.created_at.type))
        withs[name] = clause.columns(*(column(name_) for name_ in columns)).cte(name)
    for index, (write, keys) in enumerate(writes):
        withs[f"then_write_{index}"] = (_with_number(write, keys) if keys else write).cte(f"then_write_{index}")
    entry = withs["entry"]
    return select(entry.c.number, entry.c.seq, entry.c.entry_hash).add_cte(*withs.values())


def number_and_chain(session: Session, table_: Table, kind: str, document, *, store_id: int, store_code: str,
                     series: str, now: datetime, then: Sequence[Write] = ()) -> str:
    """PostgreSQL: number a document inserted under its provisional number and append it to its
    store's chain, with its audit row and `then`, in ONE statement: the store's rows are held for that statement
    and the commit, with no Python between them. The head row must exist (`head_write`, sent before).

    The document's last writes were built before it had a number: each parameter holding the provisional number
    gets the real one inside the statement, and so does the canonical content (canonical_around), whose hashes
    PostgreSQL computes. Returns the entry hash, as chain_document does."""
    provisional = document.number
    writes = list(then)
    if _document_audit is not None:
        writes.append(_document_audit(kind, document.id, provisional, store_id))
    shape, params = [], {}
    for stmt, values in writes:
        keys = frozenset(key for key, value in values.items() if isinstance(value, str) and provisional in value)
        shape.append((stmt, keys))
        for key, value in values.items():
            if key in keys:
                params[f"{key}_before"], params[f"{key}_after"] = value.split(provisional, 1)
            else:
                params[key] = value
    before, after = canonical_around(kind, document)
    row = session.execute(_in_one_sql(table_, tuple(shape)), {
        **number_parameters(document.id, store_id=store_id, store_code=store_code, series=series), **params,
        "c_chain": store_id, "c_kind": kind, "c_document": document.id, "c_before": before, "c_after": after,
        "c_now": now}).one_or_none()
    if row is None:  # pragma: no cover - head_write was not sent first: a programming error
        raise RuntimeError(f"store {store_id} has no chain head: send head_write before number_and_chain")
    number, seq, digest = row
    set_committed_value(document, "number", number)
    _chained(session, kind, document.id, number, store_id, seq, digest)
    return digest
