"""FEFO lot picking as a pure function."""
from __future__ import annotations

from datetime import date

import pytest

from pharmacy.errors import InsufficientStock, Invalid
from pharmacy.stock.fefo import LotOnHand, is_expired, pick_lots

TODAY = date(2026, 11, 21)
LOTS = [
    LotOnHand(1, "LATE", date(2027, 12, 1), 100),
    LotOnHand(2, "GONE", date(2026, 11, 20), 50),
    LotOnHand(3, "SOON", date(2026, 12, 1), 20),
    LotOnHand(4, "TODAY", date(2026, 11, 21), 5),
]


def test_expiry_day_itself_is_still_usable():
    assert not is_expired(TODAY, TODAY)
    assert is_expired(date(2026, 11, 20), TODAY)


def test_takes_earliest_expiry_first_and_skips_expired():
    picked = [(lot.lot, qty) for lot, qty in pick_lots(LOTS, 30, today=TODAY)]
    assert picked == [("TODAY", 5), ("SOON", 20), ("LATE", 5)]


def test_named_lot_only_draws_from_that_lot():
    assert [(lot.lot, qty) for lot, qty in pick_lots(LOTS, 7, today=TODAY, lot="LATE")] == [("LATE", 7)]


def test_named_expired_lot_is_refused_naming_it():
    with pytest.raises(Invalid) as error:
        pick_lots(LOTS, 1, today=TODAY, lot="GONE", field="lines[2].quantity")
    assert "GONE" in error.value.message and "lines[2].lot" in error.value.errors


def test_unknown_lot_is_refused():
    with pytest.raises(Invalid):
        pick_lots(LOTS, 1, today=TODAY, lot="NOPE")


def test_shortage_lists_only_sellable_lots():
    with pytest.raises(InsufficientStock) as error:
        pick_lots(LOTS, 1000, today=TODAY)
    assert [row["lot"] for row in error.value.extra["available"]] == ["TODAY", "SOON", "LATE"]
    assert sum(row["quantity"] for row in error.value.extra["available"]) == 125
