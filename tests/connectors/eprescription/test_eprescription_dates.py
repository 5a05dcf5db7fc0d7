"""Defensive parsing of the e-prescription system's date strings."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from connectors.eprescription.dates import VIETNAM_TZ, parse_date, parse_datetime


@pytest.mark.parametrize("raw, expected", [
    ("2026-11-20T08:30:00", datetime(2026, 11, 20, 8, 30, tzinfo=VIETNAM_TZ)),
    ("2026-11-20 08:30:00", datetime(2026, 11, 20, 8, 30, tzinfo=VIETNAM_TZ)),
    ("20/11/2026 08:30", datetime(2026, 11, 20, 8, 30, tzinfo=VIETNAM_TZ)),
    ("20/11/2026 08:30:15", datetime(2026, 11, 20, 8, 30, 15, tzinfo=VIETNAM_TZ)),
    ("202611200830", datetime(2026, 11, 20, 8, 30, tzinfo=VIETNAM_TZ)),
    ("20261120083015", datetime(2026, 11, 20, 8, 30, 15, tzinfo=VIETNAM_TZ)),
    ("2026-11-20T01:30:00Z", datetime(2026, 11, 20, 1, 30, tzinfo=timezone.utc)),
    ("2026-11-20T08:30:00.250+07:00", datetime(2026, 11, 20, 8, 30, 0, 250000, tzinfo=VIETNAM_TZ)),
    ("2026-11-20", datetime(2026, 11, 20, tzinfo=VIETNAM_TZ)),
    ("20/11/2026", datetime(2026, 11, 20, tzinfo=VIETNAM_TZ)),
    ("20261120", datetime(2026, 11, 20, tzinfo=VIETNAM_TZ)),
    (1763600400000, datetime(2025, 11, 20, 1, 0, tzinfo=timezone.utc)),
])
def test_parse_datetime_reads_the_formats_seen_in_the_wild(raw, expected):
    parsed = parse_datetime(raw)
    assert parsed == expected
    assert parsed.tzinfo is not None


@pytest.mark.parametrize("raw, expected", [
    ("2026-11-20", date(2026, 11, 20)),
    ("20/11/2026", date(2026, 11, 20)),
    ("20261120", date(2026, 11, 20)),
    ("20-11-2026", date(2026, 11, 20)),
    ("2026-11-20T08:30:00", date(2026, 11, 20)),
    ("20/11/2026 08:30", date(2026, 11, 20)),
    ("2026-11-20T20:00:00Z", date(2026, 11, 21)),  # 03:00 next day in Vietnam
])
def test_parse_date_reads_dates_and_datetimes(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", [None, "", "   ", "hôm qua", "31/02/2026", "2026112", "2026-13-01", True, [2026],
                                 10**20, float("nan")])
def test_unreadable_dates_become_none(raw):
    assert parse_datetime(raw) is None
    assert parse_date(raw) is None
