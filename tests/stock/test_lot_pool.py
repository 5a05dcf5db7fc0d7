"""LotPool: the one allocation the counter preview and record_sale share; later lines see what earlier ones took."""
from __future__ import annotations

from datetime import date

import pytest

from pharmacy.errors import InsufficientStock
from pharmacy.stock.fefo import LotOnHand, LotPool

TODAY = date(2026, 11, 25)
SOON, LATE, GONE = date(2026, 12, 31), date(2027, 6, 30), date(2026, 11, 24)


def pool() -> LotPool:
    return LotPool({7: [LotOnHand(2, "LATE", LATE, 10), LotOnHand(1, "SOON", SOON, 5), LotOnHand(3, "OLD", GONE, 9)]})


def test_lines_of_one_product_draw_down_the_same_lots_in_order():
    lots = pool()
    assert [(lot.lot, n) for lot, n in lots.take(7, 4, today=TODAY)] == [("SOON", 4)]
    assert [(lot.lot, n) for lot, n in lots.take(7, 4, today=TODAY)] == [("SOON", 1), ("LATE", 3)]
    assert [(lot.lot, lot.quantity) for lot in lots.lots(7)] == [("LATE", 7), ("SOON", 0), ("OLD", 9)]


def test_a_refused_line_takes_nothing_and_never_counts_expired_lots():
    lots = pool()
    with pytest.raises(InsufficientStock) as refused:
        lots.take(7, 16, today=TODAY, field="lines[1].quantity")
    assert refused.value.errors == {"lines[1].quantity": [refused.value.message]}
    assert [lot.quantity for lot in lots.lots(7)] == [10, 5, 9]
    assert lots.lots(8) == [] and [(lot.lot, n) for lot, n in lots.take(7, 2, today=TODAY, lot="LATE")] == [("LATE", 2)]
