"""Report figures against a hand-computed history (tests/reports/conftest.py) and against the ledger."""
from __future__ import annotations

from datetime import date

import pytest

from pharmacy.reports.period import Period

from .conftest import NOW, TODAY

NOV10, NOV11 = date(2026, 11, 10), date(2026, 11, 11)


@pytest.fixture
def s(app, chain):
    from pharmacy.extensions import db

    with app.app_context():
        yield db.session


def figures(report):
    return {key: (f.quantity, f.revenue, f.cost, f.sales_count) for key, f in report.rows.items()}


def test_cost_is_fixed_at_sale_and_second_receipt_weights_the_lot(s, chain):
    from pharmacy.sales.models import Sale
    from pharmacy.stock.models import StockLot

    s1, s2 = s.get(Sale, chain["s1"]), s.get(Sale, chain["s2"])
    assert [a.unit_cost for line in s1.lines for a in line.allocations] == [400, 1000]
    # 980 on hand at 400 + 1000 received at 700 → 1,092,000 / 1,980 = 551.5 → 552 (half up)
    assert [a.unit_cost for line in s2.lines for a in line.allocations] == [552]
    assert s.query(StockLot).filter_by(store_id=chain["a"], lot="L1").one().unit_cost == 552


def test_sales_by_day_counts_every_event_on_its_own_local_day(s, chain):
    from pharmacy.reports.sales import sales_report

    report = sales_report(s, period=Period(NOV10, NOV11), group_by="day", store_ids=None)
    # Nov 10: S1 25,000 (cost 20×400 + 10×1,000), S2 48,000 (100×552), S3 2,500 at 23:30 local (5×450),
    # S4 1,500 voided the same day (nets to zero). Nov 11 (00:30 local is still 10 Nov in UTC): the return
    # of one blister of S1 (−5,000, cost −10×400) and the void of S2 (−48,000, −55,200, one sale fewer).
    assert figures(report) == {NOV10: (135, 75500, 75450, 3), NOV11: (-110, -53000, -59200, -1)}
    assert (report.totals.revenue, report.totals.cost, report.totals.sales_count) == (22500, 16250, 2)
    assert report.totals.gross_margin == 6250


def test_sales_by_product_store_and_user(s, chain):
    from pharmacy.reports.sales import sales_report

    period = Period(NOV10, NOV11)
    by_product = sales_report(s, period=period, group_by="product", store_ids=None)
    assert figures(by_product) == {chain["p"]: (15, 7500, 6250, 2), chain["q"]: (10, 15000, 10000, 1)}
    assert by_product.totals.sales_count == 2  # S1 holds both products: one sale
    by_store = sales_report(s, period=period, group_by="store", store_ids=None)
    assert figures(by_store) == {chain["a"]: (20, 20000, 14000, 1), chain["b"]: (5, 2500, 2250, 1)}
    only_b = sales_report(s, period=period, group_by="user", store_ids=[chain["b"]])
    assert [(f.revenue, f.sales_count) for f in only_b.rows.values()] == [(2500, 1)]
    nov11 = sales_report(s, period=Period(NOV11, NOV11), group_by="store", store_ids=None)
    assert figures(nov11) == {chain["a"]: (-110, -53000, -59200, -1)}


def test_overview_per_store_and_totals(s, chain):
    from pharmacy.reports.overview import overview
    from pharmacy.stores.models import Store

    stores = [s.get(Store, chain["a"]), s.get(Store, chain["b"])]
    result = overview(s, period=Period(NOV10, NOV11), stores=stores, today=TODAY, now=NOW,
                      cost_visible={chain["a"], chain["b"]})
    a, b = result["stores"]
    # A: L1 1,990 × 552 + Q1 185 × 1,000 (expires 1 Dec: within 30 days); B: L2 477 × 450 (15 Dec) + OLD expired.
    assert {k: a[k] for k in ("revenue", "sales_count", "average_basket", "cost", "gross_margin", "stock_value",
                              "expired_value", "expiring_30_value", "expiring_60_value", "expiring_90_value",
                              "below_minimum_count")} == {
        "revenue": 20000, "sales_count": 1, "average_basket": 20000, "cost": 14000, "gross_margin": 6000,
        "stock_value": 1098480 + 185000, "expired_value": 0, "expiring_30_value": 185000,
        "expiring_60_value": 185000, "expiring_90_value": 185000, "below_minimum_count": 1}
    assert (b["stock_value"], b["expired_value"], b["expiring_30_value"], b["expiring_60_value"]) == (
        214650 + 3000, 3000, 0, 214650)
    assert b["below_minimum_count"] == 1  # Q has a minimum of 5 in B and none on hand
    totals = result["totals"]
    assert (totals["revenue"], totals["sales_count"], totals["average_basket"], totals["cost"]) == (
        22500, 2, 11250, 16250)
    assert totals["stock_value"] == 1283480 + 217650


def test_overview_hides_cost_of_stores_not_allowed(s, chain):
    from pharmacy.reports.overview import overview
    from pharmacy.stores.models import Store

    stores = [s.get(Store, chain["a"]), s.get(Store, chain["b"])]
    result = overview(s, period=Period(NOV10, NOV11), stores=stores, today=TODAY, now=NOW,
                      cost_visible={chain["a"]})
    assert result["stores"][1]["cost"] is None and result["stores"][1]["stock_value"] is None
    assert result["stores"][1]["revenue"] == 2500
    assert result["totals"]["cost"] is None and result["totals"]["revenue"] == 22500


def test_sync_health_counts_waiting_held_and_rejected(s, chain):
    from pharmacy.outbox.models import OutboxMessage
    from pharmacy.reports.overview import sync_health

    messages = s.query(OutboxMessage).filter_by(store_id=chain["a"]).order_by(OutboxMessage.id).all()
    messages[-1].status, messages[-2].status, messages[-3].status = "held", "rejected", "sent"
    s.flush()
    health = sync_health(s, [chain["a"]], NOW)[chain["a"]]
    oldest = min(m.created_at for m in messages[:-3])
    assert health == {"pending": len(messages) - 3, "held": 1, "rejected": 1,
                      "oldest_pending_seconds": int((NOW - oldest).total_seconds())}


def test_xnt_by_lot_reconciles_with_the_ledger(s, chain):
    from pharmacy.reports.movements import closing_of, stock_movements
    from pharmacy.stock.models import StockLot

    rows = {r.lot: r.figures for r in stock_movements(s, period=Period(NOV10, NOV11), store_id=chain["a"])}
    assert rows["L1"] == {"opening": 1000, "received": 1000, "sold": 120, "returned": 10, "voided": 100,
                          "issued": 0, "transferred_in": 0, "transferred_out": 0, "adjusted": 0, "closing": 1990}
    assert rows["Q1"] == {"opening": 200, "received": 0, "sold": 10, "returned": 0, "voided": 0, "issued": 5,
                          "transferred_in": 0, "transferred_out": 0, "adjusted": 0, "closing": 185}
    rows_b = {r.lot: r.figures for r in stock_movements(s, period=Period(NOV10, NOV11), store_id=chain["b"])}
    assert rows_b["L2"] == {"opening": 500, "received": 0, "sold": 8, "returned": 0, "voided": 3, "issued": 0,
                            "transferred_in": 0, "transferred_out": 20, "adjusted": 2, "closing": 477}
    assert rows_b["OLD"]["opening"] == rows_b["OLD"]["closing"] == 10  # no movement, stock at the start
    for store in (chain["a"], chain["b"]):
        for row in stock_movements(s, period=Period(date(2026, 10, 1), TODAY), store_id=store):
            assert row.figures["closing"] == closing_of(row.figures)
            assert row.figures["closing"] == s.get(StockLot, row.stock_lot_id).quantity
    before = stock_movements(s, period=Period(date(2026, 10, 1), date(2026, 10, 31)), store_id=chain["a"])
    assert before == []
    only_q = stock_movements(s, period=Period(NOV10, NOV11), store_id=chain["a"], product_id=chain["q"])
    assert [r.lot for r in only_q] == ["Q1"]


def test_slow_movers_are_the_longest_idle_first(s, chain):
    from pharmacy.reports.slow_movers import slow_movers

    rows = slow_movers(s, store_ids=[chain["a"], chain["b"]], days=1, now=NOW)
    assert [(r["store"], r["product_name"], r["quantity"], r["stock_value"], r["days_idle"]) for r in rows] == [
        ("CH01", "Khẩu trang y tế", 185, 185000, 2),        # last sold 10 Nov 09:00, two days before NOW
        ("CH01", "Paracetamol 500mg", 1990, 1098480, 1),    # 10 Nov 11:00
        ("CH02", "Paracetamol 500mg", 487, 217650, 1),      # 10 Nov 23:30, the expired lot OLD included
    ]
    assert slow_movers(s, store_ids=[chain["a"], chain["b"]], days=3, now=NOW) == []
