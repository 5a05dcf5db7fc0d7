"""Engine settings per dialect: SQLite gets WAL, foreign keys and BEGIN IMMEDIATE so stock updates never get lost."""
from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.engine import Engine

from .files import prepare_sqlite_file


def configure_engine(engine: Engine) -> None:
    """Apply the SQLite transaction recipe (dependencies.md §3.1); other dialects need nothing here."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "do_connect")
    def _private_file(_dialect, _record, cargs, _cparams):
        prepare_sqlite_file(cargs[0] if cargs else engine.url.database)  # database file created 0600 (files.py)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        for pragma in ("journal_mode=WAL", "foreign_keys=ON", "busy_timeout=15000", "synchronous=NORMAL"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def is_postgresql(session) -> bool:
    return session.get_bind().dialect.name == "postgresql"
