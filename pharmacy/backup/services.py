"""Create, verify and restore backups of the configured database, and keep the newest N of the scheduled ones."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from ..clock import LOCAL_TZ
from ..errors import Conflict, DomainError, Invalid
from ..files import private_dir
from . import postgres, sqlite
from .manifest import NOT_COUNTED, Manifest, latest_change, manifest_path, read_manifest, revision

SQLITE_MAGIC, PG_MAGIC = b"SQLite format 3\x00", b"PGDMP"
EXTENSIONS = {"sqlite": ".db", "postgresql": ".dump"}
SCHEDULED_PREFIX = "pharmacy-"


class BackupFailed(DomainError):
    """A database tool failed (pg_dump missing, disk full, …): the message says why; nothing was replaced."""

    status = 503


class BackupRefused(Conflict):
    """The restore would lose newer data (use --force), or the file is for another kind of database."""


def backup_name(dialect: str, now: datetime, prefix: str = SCHEDULED_PREFIX) -> str:
    return f"{prefix}{now.astimezone(LOCAL_TZ):%Y%m%d-%H%M%S}{EXTENSIONS[dialect]}"


def _sqlite_path(engine: Engine) -> Path:
    return Path(engine.url.database)


def create_backup(engine: Engine, target: Path | None, *, directory: Path, now: datetime,
                  prefix: str = SCHEDULED_PREFIX) -> tuple[Path, Manifest]:
    """A consistent copy of the live database in a new private file (never overwriting one), and its manifest."""
    dialect = engine.dialect.name
    target = Path(target) if target else private_dir(Path(directory)) / backup_name(dialect, now, prefix)
    if target.exists():
        raise Invalid(f"{target} already exists: choose a new file name.", field="path")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    manifest_path(target).unlink(missing_ok=True)  # a stale manifest of a deleted backup
    try:
        manifest = _copy(engine, partial, now)
    except (ValueError, OSError) as error:
        partial.unlink(missing_ok=True)
        raise BackupFailed(f"Backup failed: {error}", field="path") from error
    partial.rename(target)
    manifest.write(target)
    return target, manifest


def _copy(engine: Engine, partial: Path, now: datetime) -> Manifest:
    if engine.dialect.name == "sqlite":
        sqlite.snapshot(_sqlite_path(engine), partial)
        return sqlite.inspect_file(partial, created_at=now)
    with engine.connect() as connection:  # measured before the dump: the dump holds at least this much
        latest, schema = latest_change(connection), revision(connection)
    postgres.dump(engine.url, partial)
    return _pg_manifest(partial, created_at=now, latest=latest.isoformat() if latest else None, schema=schema)


def _pg_manifest(path: Path, *, created_at: datetime, latest: str | None, schema: str | None) -> Manifest:
    counts = postgres.row_counts(path)
    return Manifest(dialect="postgresql", created_at=created_at.isoformat(), latest_change=latest, revision=schema,
                    row_counts={name: count for name, count in counts.items() if name not in NOT_COUNTED})


def kind_of(path: Path) -> str:
    with open(path, "rb") as stream:
        head = stream.read(16)
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_MAGIC):
        return "postgresql"
    raise Invalid(f"{path} is not a pharmacy-pos backup (neither SQLite nor pg_dump custom format).", field="path")


def verify_backup(path: Path, *, now: datetime) -> Manifest:
    """Open the backup and check it: SQLite integrity and foreign keys; a pg_dump archive read through; row counts
    (compared with the manifest written at backup time, when there is one)."""
    path = Path(path)
    if not path.is_file():
        raise Invalid(f"{path} does not exist.", field="path")
    known = read_manifest(path)
    try:
        if kind_of(path) == "sqlite":
            found = sqlite.inspect_file(path, created_at=datetime.fromisoformat(known.created_at) if known else now)
        else:
            found = _pg_manifest(path, created_at=datetime.fromisoformat(known.created_at) if known else now,
                                 latest=known.latest_change if known else None,
                                 schema=known.revision if known else None)
    except ValueError as error:
        raise Invalid(f"{path}: {error}", field="path") from error
    if known is not None and known.row_counts != found.row_counts:
        raise Invalid(f"{path}: row counts differ from its manifest {manifest_path(path).name}.", field="path")
    return found


def restore_backup(engine: Engine, path: Path, *, force: bool, now: datetime, safety_directory: Path) -> Manifest:
    """Replace the database by the backup after checking it; refuses to drop newer data unless forced. The current
    database is first saved next to the scheduled backups (pre-restore-…), so a mistaken restore can be undone."""
    path = Path(path)
    dialect = engine.dialect.name
    backup = verify_backup(path, now=now)
    if kind_of(path) != dialect:
        raise BackupRefused(f"{path} is a {kind_of(path)} backup; this database is {dialect}.", field="path")
    current = _current_latest(engine)
    if current is not None and not force and (backup.latest is None or current > backup.latest):
        raise BackupRefused(
            f"The database has changes newer than the backup (latest {current:%Y-%m-%d %H:%M} UTC, backup "
            f"{backup.latest:%Y-%m-%d %H:%M} UTC)." if backup.latest else
            "Cannot tell how recent the backup is (no manifest beside it).", field="force")
    if current is not None:
        create_backup(engine, None, directory=safety_directory, now=now, prefix="pre-restore-")
    engine.dispose()
    try:
        if dialect == "sqlite":
            sqlite.restore(path, _sqlite_path(engine))
        else:
            postgres.restore(path, engine.url)
    except (ValueError, OSError) as error:
        raise BackupFailed(f"Restore failed: {error}", field="path") from error
    finally:
        engine.dispose()
    return backup


def _current_latest(engine: Engine) -> datetime | None:
    with engine.connect() as connection:
        if "movements" not in inspect(connection).get_table_names():
            return None
        return latest_change(connection)


def prune(directory: Path, keep: int) -> list[Path]:
    """Delete scheduled backups beyond the newest `keep` (names sort by time); pre-restore copies are kept."""
    backups = sorted(path for path in Path(directory).glob(f"{SCHEDULED_PREFIX}*")
                     if path.suffix in EXTENSIONS.values())
    removed = backups[:-keep] if keep > 0 else []
    for path in removed:
        path.unlink(missing_ok=True)
        manifest_path(path).unlink(missing_ok=True)
    return removed
