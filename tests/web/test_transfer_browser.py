"""Chromium: a pharmacist dispatches a transfer by scanning (typing) a product, the other store's pharmacist receives
it short on the slip with a reason, and both stores' stock shows it."""
from __future__ import annotations

import re

from sqlalchemy import select

from .conftest import sign_in


def test_dispatch_then_receive_with_a_discrepancy(app, books, shop, live_server, chromium):
    destination = books.store("CH02")
    books.user("ds2", stores=[destination])
    books.product("Paracetamol 650mg", national_code="TQG900002")  # a search now lists two
    sender = chromium.new_context(viewport={"width": 1024, "height": 768}, locale="vi-VN", bypass_csp=True)
    sender.set_default_timeout(10_000)
    page = sender.new_page()
    sign_in(page, live_server, "ds1")
    page.goto(f"{live_server}/transfers/new")
    page.type("#transfer-scan", "Paracetamol")
    page.press("#transfer-scan", "Enter")
    page.wait_for_selector("#transfer-results li >> nth=1")
    page.click("#transfer-results li:has-text('Paracetamol 500mg')")
    page.wait_for_selector("#transfer-lines tbody tr")
    assert page.locator("#transfer-results li").count() == 0
    page.select_option("#transfer-lines tbody tr select", "Vỉ")
    page.fill("#transfer-lines tbody tr [name=quantity]", "3")
    page.fill("#transfer-lines tbody tr [name=lot]", "LATE")
    page.keyboard.press("F9")
    page.wait_for_url(re.compile(r".*/transfers/\d+$"))
    assert "PHIẾU CHUYỂN KHO CK-CH01-000001" in page.inner_text("#transfer-slip")
    assert "Đang vận chuyển" in page.inner_text("#transfer-status")
    sender.close()

    receiver = chromium.new_context(viewport={"width": 768, "height": 1024}, locale="vi-VN", bypass_csp=True)
    receiver.set_default_timeout(10_000)
    page = receiver.new_page()
    sign_in(page, live_server, "ds2")
    page.goto(f"{live_server}/transfers")
    page.click("#to-receive a")
    page.fill("#slip-lines input[type=number]", "26")
    page.fill("input[name=reason]", "Rơi vỡ 4 viên")
    page.click("#receive")
    page.wait_for_selector("text=Nhận thiếu")
    assert "Rơi vỡ 4 viên" in page.inner_text("#transfer-slip")
    receiver.close()

    from pharmacy.extensions import db
    from pharmacy.models import StockLot

    with app.app_context():
        on_hand = dict(db.session.execute(select(StockLot.store_id, StockLot.quantity)
                                          .where(StockLot.lot == "LATE")).all())
    assert on_hand == {shop["store"]: 70, destination: 26}
