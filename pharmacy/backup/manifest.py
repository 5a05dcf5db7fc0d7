"""What a backup says about itself: a JSON file next to it (0600) with its age, schema revision and row counts."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, inspect, select, text
from sqlalchemy.engine import Connection

from ..auth.models import LoginSession, LoginThrottle
from ..clock import as_utc
from ..files import write_private
from ..outbox.models import OutboxMessage
from ..stock.models import Movement
from ..stores.models import Store, User

FORMAT = "pharmacy-pos backup 1"
# The columns that move whenever the shop works: the newest of them is "how recent" a database is.
ACTIVITY = (Movement.created_at, OutboxMessage.updated_at, User.created_at, Store.created_at)
NOT_COUNTED = {LoginThrottle.__tablename__, LoginSession.__tablename__, "alembic_version"}


@dataclass
class Manifest:
    dialect: str
    created_at: str
    latest_change: str | None
    revision: str | None
    row_counts: dict[str, int] = field(default_factory=dict)
    format: str = FORMAT

    @property
    def latest(self) -> datetime | None:
        return as_utc(datetime.fromisoformat(self.latest_change)) if self.latest_change else None

    def write(self, backup: Path) -> Path:
        path = manifest_path(backup)
        write_private(path, json.dumps(asdict(self), indent=2, sort_keys=True))
        return path


def manifest_path(backup: Path) -> Path:
    return backup.with_name(backup.name + ".json")


def read_manifest(backup: Path) -> Manifest | None:
    path = manifest_path(backup)
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("format") != FORMAT:
        return None
    return Manifest(**data)


def latest_change(connection: Connection) -> datetime | None:
    """The newest activity timestamp in the database (None for an empty one)."""
    moments = [connection.execute(select(func.max(column))).scalar() for column in ACTIVITY]
    moments = [as_utc(moment) for moment in moments if moment is not None]
    return max(moments) if moments else None


def row_counts(connection: Connection) -> dict[str, int]:
    names = sorted(set(inspect(connection).get_table_names()) - NOT_COUNTED)
    return {name: connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one() for name in names}


def revision(connection: Connection) -> str | None:
    if "alembic_version" not in inspect(connection).get_table_names():
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def describe(connection: Connection, *, created_at: datetime) -> Manifest:
    latest = latest_change(connection)
    return Manifest(dialect=connection.dialect.name, created_at=created_at.isoformat(),
                    latest_change=latest.isoformat() if latest else None, revision=revision(connection),
                    row_counts=row_counts(connection))


__all__ = ["Manifest", "describe", "latest_change", "manifest_path", "read_manifest"]
