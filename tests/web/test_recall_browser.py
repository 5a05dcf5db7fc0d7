"""Chromium: a recall entered while the counter is open refuses the recalled lot at the very next scan, naming the
decision, and FEFO moves on to the next lot."""
from __future__ import annotations

import time
from datetime import date

from .conftest import PARA_BOX, scan, sign_in


def test_recall_entered_refuses_the_lot_at_the_counter_at_once(page, live_server, counter_shop, books):
    sign_in(page, live_server, "ds1")
    page.goto(f"{live_server}/counter")
    expiry = date.fromordinal(date.today().toordinal() + 40)
    datamatrix = f"]d2010{PARA_BOX}17{expiry:%y%m%d}10PARA-SOON"

    scan(page, datamatrix)  # before the recall: the scanned lot is sold
    page.locator('#cart-lines tr[data-line="0"]').locator("text=PARA-SOON").wait_for()
    page.keyboard.press("F8")
    page.locator("#cart-lines tr.empty").wait_for()

    owner = books.api("owner")
    products = owner.get("/api/v1/products?q=paracetamol").json["items"]
    entered = owner.post("/api/v1/recalls", json={
        "decision_number": "301/QĐ-QLD", "decision_date": date.today().isoformat(), "level": 1,
        "product_id": products[0]["id"], "lots": ["PARA-SOON"], "reason": "Không đạt độ hòa tan"})
    assert entered.status_code == 201, entered.json
    started = time.monotonic()

    scan(page, datamatrix)
    page.locator("#scan-status.error").filter(has_text="301/QĐ-QLD").wait_for()
    assert time.monotonic() - started < 1.0  # refused within the same second
    assert page.locator("#cart-lines tr.empty").count() == 1

    scan(page, PARA_BOX)  # no lot named: FEFO skips the quarantined lot
    line = page.locator('#cart-lines tr[data-line="0"]')
    line.locator("text=PARA-LATE").wait_for()
    assert "PARA-SOON" not in line.inner_text()
    page.screenshot(path="/tmp/recall-counter.png", full_page=True)


def test_stock_page_quarantines_and_releases_part_of_a_lot(page, live_server, counter_shop):
    sign_in(page, live_server, "ds1")
    page.goto(f"{live_server}/stock?q=paracetamol")
    page.locator("details summary").first.click()
    soon = page.locator('tr.lot-row[data-state="sellable"]', has_text="PARA-SOON")
    soon.locator("input[name=quantity]").fill("40")
    soon.locator("input[name=reason]").fill("Nghi ngờ biến màu")
    soon.locator("button[type=submit]").first.click()
    page.locator('tr.lot-row[data-state="quarantine"]', has_text="PARA-SOON").wait_for(state="attached")
    page.locator("td.quarantined").filter(has_text="40").wait_for()

    page.locator("details summary").first.click()
    held = page.locator('tr.lot-row[data-state="quarantine"]', has_text="PARA-SOON")
    held.locator("input[name=quantity]").fill("15")
    held.locator("input[name=reason]").fill("Kiểm tra đạt")
    held.locator(".state-form button").click()
    page.locator("td.quarantined").filter(has_text="25").wait_for()
    page.screenshot(path="/tmp/stock-quarantine.png", full_page=True)


def test_a_quarantined_lot_scanned_at_the_counter_is_refused_naming_the_lot(page, live_server, counter_shop, books):
    owner = books.api("owner")
    store = owner.get("/api/v1/stores").json["items"][0]["id"]
    para = owner.get("/api/v1/products?q=paracetamol").json["items"][0]["id"]
    held = owner.post("/api/v1/stock/quarantine", json={"store_id": store, "lines": [
        {"product_id": para, "lot": "PARA-SOON", "quantity": 150, "reason": "Khách trả, chờ kiểm tra"}]})
    assert held.status_code == 201, held.json
    sign_in(page, live_server, "ds1")
    page.goto(f"{live_server}/counter")
    expiry = date.fromordinal(date.today().toordinal() + 40)
    scan(page, f"]d2010{PARA_BOX}17{expiry:%y%m%d}10PARA-SOON")
    status = page.locator("#scan-status.error").filter(has_text="PARA-SOON")
    status.wait_for()
    assert "đang cách ly" in status.inner_text()
    assert page.locator("#cart-lines tr.empty").count() == 1
