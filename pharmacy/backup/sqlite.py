"""SQLite: the online backup API copies a consistent snapshot while sellers keep writing (WAL readers never block
writers); copying pharmacy.db by hand would miss what still sits in the -wal file."""
from __future__ import annotations

import contextlib
import sqlite3
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from ..files import create_private
from .manifest import Manifest, describe

BUSY_TIMEOUT_MS = 15000


@contextlib.contextmanager
def _connect(path: Path, *, read_only: bool = False):
    uri = f"file:{path}?mode=ro" if read_only else f"file:{path}"
    connection = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        yield connection
    finally:
        connection.close()


def snapshot(database: Path, target: Path) -> None:
    """Copy the live database into a new private file `target`, in one step (one consistent read transaction)."""
    if not create_private(target):
        raise FileExistsError(target)
    with _connect(database) as source, _connect(target) as copy:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # a self-contained file: no -wal beside the copy


def inspect_file(path: Path, *, created_at: datetime) -> Manifest:
    """Integrity check, foreign keys, row counts and latest activity of a backup file, opened read-only."""
    try:
        return _inspect(path, created_at)
    except (sqlite3.DatabaseError, DBAPIError) as error:
        raise ValueError(f"the file is damaged ({getattr(error, 'orig', None) or error})") from error


def _inspect(path: Path, created_at: datetime) -> Manifest:
    with _connect(path, read_only=True) as connection:
        result = connection.execute("PRAGMA integrity_check").fetchall()
        if result != [("ok",)]:
            raise ValueError("the file is damaged: " + "; ".join(str(row[0]) for row in result[:5]))
        broken = connection.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise ValueError(f"{len(broken)} rows break foreign keys (first in table {broken[0][0]})")
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true", poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return describe(connection, created_at=created_at)
    finally:
        engine.dispose()


def restore(backup: Path, database: Path) -> None:
    """Write the backup's pages over the live database through SQLite itself (its WAL and locks stay coherent)."""
    create_private(database)  # restoring onto a new machine: the database is born 0600 too
    with _connect(backup, read_only=True) as source, _connect(database) as live:
        source.backup(live)
        live.execute("PRAGMA journal_mode=WAL")
