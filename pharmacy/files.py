"""Files that hold secrets or personal data (the SQLite database and its WAL/SHM, keys, backups): private (0600)
from the moment they exist, never created readable and narrowed afterwards."""
from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


@contextlib.contextmanager
def private_umask():
    """Anything created inside (by us, sqlite3 or pg_dump) gets no group or other permissions."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def private_dir(path: Path) -> Path:
    with private_umask():
        path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    return path


def write_private(path: Path, text: str) -> None:
    """Create `path` 0600 and write `text`; refuses to follow or reuse an existing file (O_EXCL)."""
    private_dir(path.parent)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), PRIVATE_FILE)
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        stream.write(text)


def create_private(path: Path) -> bool:
    """Make an empty private file unless one exists (an empty file is a valid empty SQLite database)."""
    private_dir(path.parent)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    except FileExistsError:
        return False
    return True


def sqlite_database_path(database: str | None) -> Path | None:
    """The file of a SQLite URL's database part; None for in-memory and URI databases."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def is_private(path: Path) -> bool:
    return not stat.S_IMODE(path.stat().st_mode) & 0o077


def prepare_sqlite_file(database: str | None) -> None:
    """Before sqlite3 opens the database: create it 0600 if new. SQLite gives the -wal and -shm files the main file's
    permissions, so they are private from the start too. Files of older installs are narrowed once."""
    path = sqlite_database_path(database)
    if path is None or create_private(path):
        return
    for existing in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if existing.exists() and not is_private(existing) and os.name == "posix":
            existing.chmod(PRIVATE_FILE)
