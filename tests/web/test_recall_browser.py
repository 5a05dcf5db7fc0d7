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
