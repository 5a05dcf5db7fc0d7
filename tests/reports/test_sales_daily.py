"""The daily sales totals kept with each document equal a recomputation from the documents, also after the
migration that fills them; reports read from either give the same numbers."""
from __future__ import annotations

from datetime import date

from pharmacy.reports.period import Period

YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))


def daily_rows(session) -> dict:
    from pharmacy.sales.daily import SalesDaily

    return {(r.store_id, r.day, r.user_id): (r.quantity, r.revenue, r.cost, r.sales_count)
            for r in session.query(SalesDaily)}


def test_daily_totals_equal_the_documents_and_a_rebuild(app, chain):
    from pharmacy.extensions import db
    from pharmacy.reports.sales import document_figures, sales_report
    from pharmacy.sales.daily import rebuild_sales_daily

    with app.app_context():
        s = db.session
        kept = daily_rows(s)
        recomputed = document_figures(s, group_by="day_store_user", period=None, store_ids=None)
        assert kept == {(store, day, user): (f.quantity, f.revenue, f.cost, f.sales_count)
                        for (day, store, user), f in recomputed.items()}
        assert kept[(chain["b"], date(2026, 11, 10), 3)] == (5, 2500, 2250, 1)  # S4 sold and voided that day
        for group_by in ("day", "store", "user", "day_store"):
            daily = sales_report(s, period=YEAR, group_by=group_by, store_ids=None)
            documents = sales_report(s, period=YEAR, group_by=group_by, store_ids=None, from_documents=True)
            assert daily.rows == documents.rows and daily.totals == documents.totals, group_by
        assert rebuild_sales_daily(s) == len(kept)
        assert daily_rows(s) == kept
        s.rollback()


def test_migration_fills_allocation_costs_and_daily_totals_from_existing_documents(app, chain):
    from flask_migrate import downgrade, upgrade

    from pharmacy.extensions import db
    from pharmacy.reports.sales import document_figures
    from pharmacy.sales.models import SaleAllocation

    from ..conftest import ROOT

    with app.app_context():
        db.session.remove()
        downgrade(directory=str(ROOT / "migrations"), revision="c3f1a9e2b7d4")
        upgrade(directory=str(ROOT / "migrations"))
        s = db.session
        # Before the migration allocations had no cost: they get their lot's current one (L1 is 552 by now).
        costs = {(a.lot, a.quantity): a.unit_cost for a in s.query(SaleAllocation)}
        assert costs[("L1", 20)] == 552 and costs[("Q1", 10)] == 1000 and costs[("L2", 5)] == 450
        recomputed = document_figures(s, group_by="day_store_user", period=None, store_ids=None)
        assert daily_rows(s) == {(store, day, user): (f.quantity, f.revenue, f.cost, f.sales_count)
                                 for (day, store, user), f in recomputed.items()}
        assert daily_rows(s)[(chain["a"], date(2026, 11, 10), 2)][:2] == (130, 73000)  # S1 and S2
