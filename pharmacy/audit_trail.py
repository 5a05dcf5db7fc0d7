"""The audit trail's edge: session listeners that note every write of a transaction (ORM changes with before →
after, bulk statements, chained documents) and, just before it commits, add who / when / from where / what rows;
after the commit, the chain heads it moved are appended to the witness file beside the backups.

Flask-bound (the request's user and IP, or the console's command), so it sits with the framework helpers."""
from __future__ import annotations

import getpass
import logging
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import click
from flask import Flask, current_app, g, has_app_context, has_request_context, request
from sqlalchemy import bindparam, event, insert, inspect
from sqlalchemy.orm import Session

from .audit.chain import PENDING_DOCUMENTS, PENDING_HEADS, Write, set_document_audit
from .audit.models import AuditEntry
from .audit.verification import verify_chains
from .audit.witness import FILE_NAME, append_heads, read_heads, read_purges
from .clock import utcnow
from .extensions import db

log = logging.getLogger(__name__)

CHANGES, TABLES = "audit_changes", "audit_tables"
# Bookkeeping that is not a person's act (sessions, throttles, counters, the sync queue) or is the trail itself.
QUIET = frozenset({"audit_entries", "audit_verifications", "journal_entries", "journal_heads", "login_sessions",
                   "login_throttle", "idempotency_keys", "outbox_attempts", "outbox_messages", "document_counters",
                   "sales_daily", "national_answers"})
NOISE = frozenset({"search_text", "updated_at", "created_at"})  # derived or stamped: not a person's change
# Master data whose edits show before → after even beside a document (a price change is one).
ENTITIES = frozenset({"products", "product_units", "barcodes", "stores", "users", "user_stores", "stock_settings",
                      "suppliers", "customers"})
SECRET = frozenset({"password_hash", "national_password_encrypted", "national_password", "token_version"})
_registered = False
_INSERT_ENTRIES = insert(AuditEntry.__table__)
_ROW_COLUMNS = ("at", "user_id", "username", "source", "action", "entity", "entity_id", "label", "operation",
                "changes")
# One row whose parameters are named a_…: it rides in the chain's last statement (audit/chain.py), where a
# parameter named after a column of another table there is taken.
_INSERT_DOCUMENT = insert(AuditEntry.__table__).values(
    {name: bindparam(f"a_{name}", type_=AuditEntry.__table__.c[name].type) for name in _ROW_COLUMNS})


def register(app: Flask) -> None:
    """Listen on every session once per process (the listeners look up the app they run in)."""
    global _registered
    if _registered:
        return
    _registered = True
    event.listen(Session, "do_orm_execute", _noted_statement)
    event.listen(Session, "after_flush", _noted_flush)
    event.listen(Session, "before_commit", _write_trail)
    event.listen(Session, "after_commit", _witness_heads)
    event.listen(Session, "after_rollback", _forget)
    set_document_audit(_document_row)


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _noted_statement(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        # the statement's table, and those its WITH writes (a lot update carrying its ledger rows, stock/services.py)
        for written in (state.statement, *(cte.element for cte in getattr(state.statement, "_independent_ctes", ()))):
            table = getattr(written, "table", None)
            if table is not None and table.name not in QUIET:
                state.session.info.setdefault(TABLES, set()).add(table.name)


def _noted_flush(session: Session, _context) -> None:
    noted = session.info.setdefault(CHANGES, [])
    for operation, objects in (("create", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objects:
            table = getattr(obj, "__tablename__", None)
            if table is None or table in QUIET:
                continue
            changes = _diff(obj, operation)
            if operation == "update" and not changes:
                continue
            identity = inspect(obj).identity or ()
            noted.append((table, ",".join(str(part) for part in identity), operation, changes))


def _diff(obj, operation: str) -> dict:
    changes = {}
    for attr in inspect(obj).mapper.column_attrs:
        if attr.key in NOISE:
            continue
        history = inspect(obj).attrs[attr.key].history
        if operation == "update" and not history.has_changes():
            continue
        before = history.deleted[0] if history.deleted else (history.unchanged[0] if history.unchanged else None)
        after = history.added[0] if history.added else (history.unchanged[0] if history.unchanged else None)
        if operation == "create":
            before = None
        elif operation == "delete":
            after = None
        if before == after and operation != "update":
            continue
        hidden = attr.key in SECRET
        changes[attr.key] = ["***" if hidden and before is not None else _plain(before),
                             "***" if hidden and after is not None else _plain(after)]
    return changes


def _who() -> tuple[int | None, str, str, str]:
    """(user id, user name, source, action) of the code running now."""
    if has_request_context():
        user = g.get("actor")
        if user is None:
            from flask_login import current_user

            user = getattr(current_user, "user", None) if current_user and current_user.is_authenticated else None
        return (user.id if user else None, user.username if user else "", (request.remote_addr or "")[:64],
                f"{request.method} {request.path}"[:200])
    command = click.get_current_context(silent=True)
    if command is not None:
        return None, f"console:{_os_user()}", "cli", command.command_path[:200]
    return None, "", "", ""


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "?"


def _base() -> dict:
    user_id, username, source, action = _who()
    return {"at": utcnow(), "user_id": user_id, "username": username[:100], "source": source, "action": action}


def _document_row(kind: str, document_id: int, number: str, store_id: int) -> Write:
    """A chained document's row, written with the chain's entry (audit/chain.py)."""
    row = {**_base(), "entity": kind, "entity_id": str(document_id), "label": number[:100], "operation": "create",
           "changes": {"store_id": [None, store_id]}}
    return _INSERT_DOCUMENT, {f"a_{name}": row[name] for name in _ROW_COLUMNS}


def _write_trail(session: Session) -> None:
    session.flush()  # pending changes show in the trail of this very commit
    documents = session.info.pop(PENDING_DOCUMENTS, [])
    changes = session.info.pop(CHANGES, [])
    tables = session.info.pop(TABLES, set())
    if not (documents or changes or tables):
        return
    edited = [(table, identity, operation, diff) for (table, identity), (operation, diff) in _merged(changes).items()
              if not documents or table in ENTITIES]  # a document's own rows (lines, lots) are the document
    if documents and not edited:
        return  # the documents' own rows rode with their chain entries (_document_row)
    base = _base()
    rows = [{**base, "entity": table, "entity_id": identity[:50], "label": "", "operation": operation,
             "changes": diff} for table, identity, operation, diff in edited]
    if not rows:
        rows = [{**base, "entity": table, "entity_id": "", "label": "", "operation": "write", "changes": None}
                for table in sorted(tables)]
    session.execute(_INSERT_ENTRIES, rows)  # a Core insert: the ORM's bulk insert cost 3 % of a sale's CPU


def _merged(changes: list) -> dict:
    """One change per row of the transaction, over its flushes: the first before, the last after."""
    merged: dict[tuple[str, str], tuple[str, dict]] = {}
    for table, identity, operation, diff in changes:
        key = (table, identity)
        if key not in merged:
            merged[key] = (operation, dict(diff))
            continue
        first, seen = merged[key]
        for field, (before, after) in diff.items():
            seen[field] = [seen[field][0] if field in seen else before, after]
        merged[key] = (operation if operation == "delete" else first, seen)
    return merged


def witness_path() -> Path | None:
    if not has_app_context():
        return None
    directory = current_app.config.get("BACKUP_DIR") or Path(current_app.instance_path) / "backups"
    return Path(directory) / FILE_NAME


def verify_journal(store_ids: list[int] | None = None, printed: dict | None = None):
    """Verify the chains (all, or some stores') against the head file and the heads copied from printed day
    reports (store id -> [PrintedHead]), and keep the run; committed."""
    path = witness_path()
    reports, run = verify_chains(db.session, witnessed=read_heads(path) if path else {}, now=utcnow(),
                                 store_ids=store_ids, purges=read_purges(path) if path else None, printed=printed)
    db.session.commit()
    return reports, run


def _witness_heads(session: Session) -> None:
    heads = session.info.pop(PENDING_HEADS, None)
    path = witness_path()
    if not heads or path is None:
        return
    try:
        append_heads(path, heads, utcnow())
    except OSError:  # the commit stands; the verification reports the file behind
        log.exception("could not append the journal heads to %s", path)


def _forget(session: Session) -> None:
    for key in (PENDING_DOCUMENTS, PENDING_HEADS, CHANGES, TABLES):
        session.info.pop(key, None)
