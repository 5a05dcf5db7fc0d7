"""Defensive parsing of the date strings the e-prescription system sends in varying formats."""
from __future__ import annotations

import logging
from datetime import date, datetime, timedelta, timezone

log = logging.getLogger(__name__)

# Vietnam has had no daylight saving since 1975, so a fixed offset is exact and needs no tz database.
VIETNAM_TZ = timezone(timedelta(hours=7), "ICT")

_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d", "%d.%m.%Y")
# All-digit forms are told apart by length, because strptime would happily split "202611200830" wrongly.
_COMPACT_FORMATS = {8: "%Y%m%d", 12: "%Y%m%d%H%M", 14: "%Y%m%d%H%M%S"}
_DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M",
    "%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M",
    "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M",
    "%H:%M %d/%m/%Y", "%H:%M:%S %d/%m/%Y",
)
# Below this an epoch number is in seconds, above it in milliseconds (1e11 s is the year 5138).
_EPOCH_MILLIS_THRESHOLD = 1e11


def parse_datetime(value) -> datetime | None:
    """A timezone-aware datetime from any known format (naive values are Vietnam time), or None."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=VIETNAM_TZ)
    if isinstance(value, (int, float)):
        seconds = value / 1000 if value > _EPOCH_MILLIS_THRESHOLD else value
        try:
            return datetime.fromtimestamp(seconds, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            log.warning("unparseable e-prescription epoch time %r", value)
            return None
    if not isinstance(value, str):
        log.warning("unparseable e-prescription date of type %s", type(value).__name__)
        return None
    text = value.strip()
    parsed = _parse_iso(text) or _parse_formats(text, _DATETIME_FORMATS)
    if parsed is None:
        day = _parse_formats(text, _DATE_FORMATS)
        parsed = day and datetime(day.year, day.month, day.day)
    if parsed is None:
        log.warning("unparseable e-prescription date %r", text)
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=VIETNAM_TZ)


def parse_date(value) -> date | None:
    """A calendar date from any known date or datetime format (the Vietnam-time date of a datetime), or None."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        day = _parse_formats(value.strip(), _DATE_FORMATS)
        if day is not None:
            return day.date()
    moment = parse_datetime(value)
    return moment.astimezone(VIETNAM_TZ).date() if moment else None


def _parse_iso(text: str) -> datetime | None:
    # fromisoformat also accepts plain dates and compact forms such as 20261120, which would lose the
    # "date only" distinction; only take it when the text has a time part.
    if "T" not in text and ":" not in text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None


def _parse_formats(text: str, formats: tuple[str, ...]) -> datetime | None:
    if text.isdigit():
        compact = _COMPACT_FORMATS.get(len(text))
        wants_date = formats is _DATE_FORMATS
        if compact is None or (compact == _COMPACT_FORMATS[8]) != wants_date:
            return None
        formats = (compact,)
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None
