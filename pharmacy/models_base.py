"""Column helpers shared by every area's models."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, TypeDecorator

from .clock import as_utc, utcnow


class UTCDateTime(TypeDecorator):
    """Timestamps stored in UTC and always read back timezone-aware (SQLite drops the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        return None if value is None else as_utc(value)

    def process_result_value(self, value: datetime | None, dialect):
        return None if value is None else as_utc(value)


__all__ = ["UTCDateTime", "utcnow"]
