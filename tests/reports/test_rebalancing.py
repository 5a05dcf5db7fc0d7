"""Rebalancing suggestions: a pure rule checked on hand-made lots and velocities, then over a real ledger."""
from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

from pharmacy.reports.rebalancing import Lot, suggest

TODAY = date(2026, 11, 12)


def test_surplus_goes_to_faster_stores_within_what_they_can_sell_in_time():
    expiry = TODAY + timedelta(days=10)
    lots = [
        Lot(1, 7, "X", expiry, 100),                       # store 1 sells 1/day: 10 of 100 in time
        Lot(2, 7, "Y", TODAY + timedelta(days=5), 20),     # store 2 already has 20 expiring sooner
        Lot(1, 7, "LATE", TODAY + timedelta(days=400), 50),  # outside the window
    ]
    velocity = {(1, 7): 1.0, (2, 7): 5.0, (3, 7): 3.0}
    result = suggest(lots, velocity, today=TODAY, within_days=90)
    assert result == [
        {"product_id": 7, "lot": "X", "expiry": expiry, "from_store_id": 1, "to_store_id": 2, "quantity": 30,
         "days_to_sell_at_source": 100, "days_to_sell_at_target": 10},
        {"product_id": 7, "lot": "X", "expiry": expiry, "from_store_id": 1, "to_store_id": 3, "quantity": 30,
         "days_to_sell_at_source": 100, "days_to_sell_at_target": 10},
    ]


def test_no_suggestion_when_the_store_sells_its_lot_in_time_or_nobody_is_faster():
    expiry = TODAY + timedelta(days=30)
    assert suggest([Lot(1, 7, "X", expiry, 30)], {(1, 7): 1.0, (2, 7): 5.0}, today=TODAY, within_days=90) == []
    assert suggest([Lot(1, 7, "X", expiry, 300)], {(1, 7): 2.0, (2, 7): 1.0}, today=TODAY, within_days=90) == []
    expired = [Lot(1, 7, "X", TODAY - timedelta(days=1), 300)]
    assert suggest(expired, {(2, 7): 9.0}, today=TODAY, within_days=90) == []


def test_rebalancing_over_the_ledger(app, chain):
    from pharmacy.extensions import db
    from pharmacy.reports.rebalancing import rebalancing, velocities

    from .conftest import NOW

    with app.app_context():
        speeds = velocities(db.session, None, NOW)
        # Net 30-day sales: A sold P 20+100, 10 returned, 100 voided = 10; B sold 8, 3 voided = 5.
        assert speeds == {(chain["a"], chain["p"]): Fraction(10, 30), (chain["a"], chain["q"]): Fraction(10, 30),
                          (chain["b"], chain["p"]): Fraction(5, 30)}
        result = rebalancing(db.session, store_ids=None, today=TODAY, now=NOW, within_days=90)
    # B's L2 (477, 33 days left) sells ~5 in time; A sells P faster but its own L1 (later expiry) is not ahead
    # of L2: it can take floor(10/30 × 33) = 11 units.
    assert result == [{"product_id": chain["p"], "lot": "L2", "expiry": date(2026, 12, 15),
                       "from_store_id": chain["b"], "to_store_id": chain["a"], "quantity": 11,
                       "days_to_sell_at_source": 2862, "days_to_sell_at_target": 33}]
