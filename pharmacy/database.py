"""Engine settings per dialect: SQLite gets WAL, foreign keys and one writer at a time, so stock updates never get
lost, while reads never wait for that writer.

SQLite allows one writer. A transaction that reads and then writes must hold the write lock from its first
statement (BEGIN IMMEDIATE), or a concurrent sale can slip in between (dependencies.md §3.1). Reads need no such
lock: in WAL mode a plain BEGIN reads a consistent snapshot while a writer works. So a transaction starts
IMMEDIATE unless the code running it said it only reads (`read_only()`; the web layer says so for GET requests).
Writers of this process also queue on a lock of their own, so they wake in turn instead of polling SQLite's busy
handler (whose sleeps grow to 100 ms and made counter scans stall for seconds behind the sync thread).

A pooled connection is checked (a `SELECT 1`) only when it comes back to use after resting
`PING_AFTER_IDLE_SECONDS`: a server restarted or a connection cut meanwhile costs a reconnect, not a failed request.
A connection in steady use is not pinged on every request (SQLAlchemy's `pool_pre_ping` did: one more round
trip per request).
"""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

from .files import prepare_sqlite_file

BUSY_TIMEOUT_MS = 15_000

# True (the safe default): transactions begun in this context may write. Only code that knows it reads says False.
_may_write: ContextVar[bool] = ContextVar("pharmacy_may_write", default=True)
_HELD = "pharmacy_write_lock_held"
PING_AFTER_IDLE_SECONDS = 1.0
_RETURNED = "pharmacy_returned_at"


def set_read_only(value: bool) -> None:
    """Declare whether transactions begun from now on in this context only read (a GET request does)."""
    _may_write.set(not value)


@contextmanager
def read_only():
    """Transactions begun inside only read: on SQLite they start with a plain BEGIN and never wait for a writer."""
    token = _may_write.set(False)
    try:
        yield
    finally:
        _may_write.reset(token)


def configure_engine(engine: Engine) -> None:
    """Ping connections that rested; on SQLite apply the transaction recipe."""
    _ping_rested(engine)
    if engine.dialect.name != "sqlite":
        return
    writer = threading.Lock()

    @event.listens_for(engine, "do_connect")
    def _private_file(_dialect, _record, cargs, _cparams):
        prepare_sqlite_file(cargs[0] if cargs else engine.url.database)  # database file created 0600 (files.py)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        for pragma in ("journal_mode=WAL", "foreign_keys=ON", f"busy_timeout={BUSY_TIMEOUT_MS}",
                       "synchronous=NORMAL"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        if not _may_write.get():
            conn.exec_driver_sql("BEGIN")
            return
        # Bounded wait: a lock leaked by a path no event sees costs at most one timeout, never a hang; SQLite's own
        # lock (BEGIN IMMEDIATE) still keeps writers apart.
        held = writer.acquire(timeout=BUSY_TIMEOUT_MS / 1000)
        conn.info[_HELD] = held
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            _release(conn.info)
            raise

    def _release(info: dict) -> None:
        if info.pop(_HELD, False):
            writer.release()

    # Released when the transaction ends (these events fire just before SQLite commits: the next writer's
    # BEGIN IMMEDIATE waits those microseconds in SQLite's busy handler) and, as a safety net, when the
    # connection goes back to the pool.
    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _on_end(conn):
        _release(conn.info)

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_conn, record):
        _release(record.info)


def _ping_rested(engine: Engine) -> None:
    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_conn, record):
        record.info[_RETURNED] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _check_rested(dbapi_conn, record, _proxy):
        returned = record.info.get(_RETURNED)
        if returned is None or time.monotonic() - returned < PING_AFTER_IDLE_SECONDS:
            return  # new, or in steady use
        try:
            engine.dialect.do_ping(dbapi_conn)
        except Exception as error:  # the pool drops it and hands out another (SQLAlchemy's own recipe)
            raise exc.DisconnectionError() from error


def is_postgresql(session) -> bool:
    return session.get_bind().dialect.name == "postgresql"
