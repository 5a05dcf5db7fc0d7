"""Chromium: the destination checks a transfer by scanning packs (DataMatrix with its lot, a plain EAN-13), sees
per line and lot what was sent against what was scanned with the mismatches highlighted, and confirms the
receipt short with a reason."""
from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from .conftest import ean13, sign_in

BOX = ean13("893450000077")


def datamatrix(lot: str, expiry: date) -> str:
    return f"]d201{BOX.zfill(14)}17{expiry:%y%m%d}10{lot}"


def test_scan_to_verify_then_confirm_a_short_receipt(app, books, live_server, page):
    from pharmacy.catalog.services import UnitSpec

    source, destination = books.store("CH01"), books.store("CH02")
    books.user("owner", role="owner")
    books.user("ds1", stores=[source])
    books.user("ds2", stores=[destination])
    product = books.product("Loratadin 10mg", active_ingredient="Loratadin", units=[
        UnitSpec("Viên", 1, 500), UnitSpec("Vỉ", 10, 4500), UnitSpec("Hộp", 100, 42000, [BOX])])
    first, second = date.today() + timedelta(days=200), date.today() + timedelta(days=400)
    books.receive(source, product, "LA1", first, 300)
    books.receive(source, product, "LA2", second, 300)
    sent = books.api("ds1").post("/api/v1/transfers", json={"from_store_id": source, "to_store_id": destination,
                                                            "lines": [
        {"product_id": product, "unit": "Hộp", "quantity": 2, "lot": "LA1"},
        {"product_id": product, "unit": "Hộp", "quantity": 1, "lot": "LA2"}]})
    assert sent.status_code == 201, sent.json

    sign_in(page, live_server, "ds2")
    page.goto(f"{live_server}/transfers")
    page.click("#to-receive a.verify")
    page.wait_for_selector("#verify-scan:focus")
    rows = page.locator("#verify-lines tbody tr")
    assert rows.count() == 2 and page.locator("#verify-lines tr.mismatch").count() == 2

    def scan(code):
        page.type("#verify-scan", code)
        page.press("#verify-scan", "Enter")

    scan(datamatrix("LA1", first))
    page.wait_for_function("document.querySelector('#verify-lines tbody tr input').value === '100'")
    assert "Thiếu 100" in rows.nth(0).inner_text()
    scan(datamatrix("LA1", first))
    page.wait_for_selector("#verify-lines tr.matched[data-lot=LA1]")
    scan(datamatrix("ZZ9", first))
    page.wait_for_selector("#verify-status.error")
    assert "ZZ9" in page.inner_text("#verify-status")
    scan(BOX)  # no lot on a plain EAN-13: it counts on the line still short, and says so
    page.wait_for_selector("#verify-lines tr.matched[data-lot=LA2]")
    assert "LA2" in page.inner_text("#verify-status")
    assert "Khớp hết" in page.inner_text("#verify-summary")
    page.fill("#verify-lines tr[data-lot=LA2] input", "90")
    page.wait_for_selector("#verify-lines tr.mismatch[data-lot=LA2]")
    assert "Thiếu 10" in page.inner_text("#verify-lines tr[data-lot=LA2]")
    page.click("#confirm-receipt")
    page.wait_for_selector("#verify-status.error")
    assert "lý do" in page.inner_text("#verify-status")
    page.fill("#verify-reason", "Hộp móp, 10 viên hỏng")
    page.click("#confirm-receipt")
    page.wait_for_url(re.compile(r".*/transfers/\d+$"))
    assert "Nhận thiếu" in page.inner_text("#transfer-status")

    from pharmacy.extensions import db
    from pharmacy.models import StockLot

    with app.app_context():
        at_destination = dict(db.session.execute(select(StockLot.lot, StockLot.quantity)
                                                 .where(StockLot.store_id == destination)).all())
    assert at_destination == {"LA1": 200, "LA2": 90}
