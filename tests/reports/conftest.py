"""A two-store chain with a hand-computed history (see the figures in test_reports_domain.py) and API clients."""
from __future__ import annotations

from datetime import date, datetime, time, timezone

import pytest

from pharmacy.clock import LOCAL_TZ


def local(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    """A UTC moment given as a local (Asia/Ho_Chi_Minh) time in 2026."""
    return datetime.combine(date(2026, month, day), time(hour, minute), LOCAL_TZ).astimezone(timezone.utc)


TODAY = date(2026, 11, 12)
NOW = local(12, 9)


@pytest.fixture
def chain(app, books):
    """Store A (CH01): P lot L1 (cost 400, then a second receipt at 700 → weighted 552), Q lot Q1 (cost 1000);
    store B (CH02): P lot L2 (cost 450) and an expired lot OLD (cost 300). Sales, a return, voids, an issue,
    a transfer out and a count adjustment on 10–11 November 2026 (local days)."""
    from pharmacy.catalog.services import UnitSpec
    from pharmacy.extensions import db
    from pharmacy.issues.services import record_issue
    from pharmacy.receipts.services import record_receipt
    from pharmacy.sales.corrections import record_return, void_sale
    from pharmacy.sales.services import record_sale
    from pharmacy.stock.models import StockLot
    from pharmacy.stock.services import DocumentRef, return_lot, set_min_quantity, take_lot
    from pharmacy.stores.models import Store, User

    # The return goes straight back to sellable stock (the figures here are about cost, not quarantine).
    a, b = books.store("CH01", returns_to_quarantine=False), books.store("CH02")
    books.user("owner", role="owner")
    books.user("ds_a", stores=[a])
    books.user("ds_b", stores=[b])
    p = books.product("Paracetamol 500mg", national_code="TQG900001")
    q = books.product("Khẩu trang y tế", active_ingredient="", units=[UnitSpec("Viên", 1, 1500)])

    with app.app_context():
        s = db.session
        owner = s.query(User).filter_by(username="owner").one()
        seller = s.query(User).filter_by(username="ds_a").one()
        seller_b = s.query(User).filter_by(username="ds_b").one()
        store_a, store_b = s.get(Store, a), s.get(Store, b)

        def receive(store, product, lot, expiry, quantity, price, when, kind="supplier"):
            line = {"product_id": product, "unit": "Viên", "quantity": quantity, "lot": lot, "expiry": expiry,
                    "unit_price": price}
            record_receipt(s, store=store, kind=kind, lines=[line], actor=owner, now=when, supplier_name="NCC")

        receive(store_a, p, "L1", date(2027, 6, 30), 1000, 400, local(1, 8))
        receive(store_a, q, "Q1", date(2026, 12, 1), 200, 1000, local(1, 8))
        receive(store_b, p, "L2", date(2026, 12, 15), 500, 450, local(1, 8))
        receive(store_b, p, "OLD", date(2026, 11, 1), 10, 300, local(1, 8), kind="opening")
        s1 = record_sale(s, store=store_a, actor=seller, now=local(10, 9), lines=[
            {"product_id": p, "unit": "Vỉ", "quantity": 2}, {"product_id": q, "unit": "Viên", "quantity": 10}])
        receive(store_a, p, "L1", date(2027, 6, 30), 1000, 700, local(10, 10))
        s2 = record_sale(s, store=store_a, actor=seller, now=local(10, 11),
                         lines=[{"product_id": p, "unit": "Hộp", "quantity": 1}])
        s4 = record_sale(s, store=store_b, actor=seller_b, now=local(10, 12),
                         lines=[{"product_id": p, "unit": "Viên", "quantity": 3}])
        void_sale(s, sale=s4, reason="Khách đổi ý", actor=owner, now=local(10, 13))
        s3 = record_sale(s, store=store_b, actor=seller_b, now=local(10, 23, 30),
                         lines=[{"product_id": p, "unit": "Viên", "quantity": 5}])
        record_return(s, sale=s1, actor=seller, now=local(11, 0, 30),
                      lines=[{"sale_line_id": s1.lines[0].id, "quantity": 1}])
        void_sale(s, sale=s2, reason="Nhập sai", actor=owner, now=local(11, 9))
        record_issue(s, store=store_a, kind="return_to_supplier", note="Trả NCC", actor=owner, now=local(11, 10),
                     lines=[{"product_id": q, "unit": "Viên", "quantity": 5, "lot": "Q1"}])
        l2 = s.query(StockLot).filter_by(store_id=b, lot="L2").one()
        take_lot(s, l2, 20, kind="transfer", document=DocumentRef("transfer", 1), actor=owner, now=local(11, 11))
        return_lot(s, l2, 2, kind="adjustment", document=DocumentRef("stock_count", 1), actor=owner,
                   now=local(11, 12))
        set_min_quantity(s, store_id=a, product_id=q, min_quantity=200)
        set_min_quantity(s, store_id=a, product_id=p, min_quantity=100)
        set_min_quantity(s, store_id=b, product_id=q, min_quantity=5)
        s.commit()
        ids = {"s1": s1.id, "s2": s2.id, "s3": s3.id, "s4": s4.id}
    return {"a": a, "b": b, "p": p, "q": q, **ids, "owner": books.api("owner"), "ds_a": books.api("ds_a"),
            "ds_b": books.api("ds_b")}
