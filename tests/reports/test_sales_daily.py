"""The daily sales totals kept with each document equal a recomputation from the documents, also after the
migration that fills them; reports read from either give the same numbers."""
from __future__ import annotations

from datetime import date

from pharmacy.reports.period import Period

YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))


def daily_rows(session) -> dict:
    from pharmacy.sales.daily import SalesDaily

    return {(r.store_id, r.day, r.user_id): (r.quantity, r.revenue, r.cost, r.sales_count, r.discount)
            for r in session.query(SalesDaily)}


def as_rows(recomputed: dict) -> dict:
    return {(store, day, user): (f.quantity, f.revenue, f.cost, f.sales_count, f.discount)
            for (day, store, user), f in recomputed.items()}


def test_daily_totals_equal_the_documents_and_a_rebuild(app, chain):
    from pharmacy.extensions import db
    from pharmacy.reports.sales import document_figures, sales_report
    from pharmacy.sales.daily import rebuild_sales_daily

    with app.app_context():
        s = db.session
        kept = daily_rows(s)
        recomputed = document_figures(s, group_by="day_store_user", period=None, store_ids=None)
        assert kept == as_rows(recomputed)
        assert kept[(chain["b"], date(2026, 11, 10), 3)] == (5, 2500, 2250, 1, 0)  # S4 sold and voided that day
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
        assert daily_rows(s) == as_rows(recomputed)
        assert daily_rows(s)[(chain["a"], date(2026, 11, 10), 2)][:2] == (130, 73000)  # S1 and S2


def discounted_history(s, chain):
    """On 12 November: a discounted sale partly returned then voided, and one partly returned (odd pieces)."""
    from pharmacy.sales.corrections import record_return, void_sale
    from pharmacy.sales.services import record_sale
    from pharmacy.stores.models import Store, User

    from .conftest import local

    owner = s.query(User).filter_by(username="owner").one()
    store = s.get(Store, chain["a"])
    lines = [{"product_id": chain["p"], "unit": "Vỉ", "quantity": 3, "discount_percent": 10},
             {"product_id": chain["q"], "unit": "Viên", "quantity": 7, "discount_amount": 1_001}]
    kept = record_sale(s, store=store, actor=owner, now=local(12, 9), lines=lines, discount_amount=999,
                       discount_reason="Khách quen")
    voided = record_sale(s, store=store, actor=owner, now=local(12, 10), lines=lines, discount_amount=999,
                         discount_reason="Khách quen")
    for sale in (kept, voided):
        record_return(s, sale=sale, actor=owner, now=local(12, 11),
                      lines=[{"sale_line_id": sale.lines[1].id, "quantity": 3}])
    void_sale(s, sale=voided, reason="Nhập sai", actor=owner, now=local(13, 9))
    s.flush()
    return kept, voided


def test_discounts_are_kept_per_day_as_the_documents_say_and_a_voided_sale_gives_them_back(app, chain):
    from pharmacy.extensions import db
    from pharmacy.reports.sales import document_figures, sales_report

    with app.app_context():
        s = db.session
        kept, _voided = discounted_history(s, chain)
        assert daily_rows(s) == as_rows(document_figures(s, group_by="day_store_user", period=None,
                                                         store_ids=None))
        day = Period(date(2026, 11, 12), date(2026, 11, 12))
        twelfth = sales_report(s, period=day, group_by="day", store_ids=None).totals
        returned = 2 * (kept.lines[1].discount_amount + kept.lines[1].cart_discount_share) * 3 // 7
        assert twelfth.discount == 2 * (kept.gross - kept.total) - returned
        assert twelfth.gross == twelfth.revenue + twelfth.discount and twelfth.gross_margin == twelfth.revenue - \
            twelfth.cost
        both = sales_report(s, period=Period(date(2026, 11, 12), date(2026, 11, 13)), group_by="product",
                            store_ids=None)
        assert both.totals.discount == kept.gross - kept.total - returned // 2  # the void gave the rest back
        assert sum(f.discount for f in both.rows.values()) == both.totals.discount
        s.rollback()


def test_migration_fills_the_discounts_of_existing_days(app, chain):
    from flask_migrate import downgrade, upgrade

    from pharmacy.extensions import db
    from pharmacy.reports.sales import document_figures

    from ..conftest import ROOT

    with app.app_context():
        discounted_history(db.session, chain)
        db.session.commit()
        db.session.remove()
        downgrade(directory=str(ROOT / "migrations"), revision="e7d3f4a5b6c8-1")  # just before the discounts
        upgrade(directory=str(ROOT / "migrations"))
        s = db.session
        recomputed = document_figures(s, group_by="day_store_user", period=None, store_ids=None)
        assert daily_rows(s) == as_rows(recomputed)
        assert any(row[4] > 0 for row in daily_rows(s).values())
