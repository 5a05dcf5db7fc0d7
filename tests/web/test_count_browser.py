"""Chromium: a pharmacist counts the stock while a sale goes through, submits; the owner approves; the sale is kept."""
from __future__ import annotations

from sqlalchemy import select

from .conftest import sign_in


def _context(chromium, width):
    context = chromium.new_context(viewport={"width": width, "height": 1024}, locale="vi-VN", bypass_csp=True)
    context.set_default_timeout(10_000)
    return context


def test_count_with_a_mid_count_sale_then_approve(app, shop, live_server, chromium):
    counter = _context(chromium, 800)
    page = counter.new_page()
    sign_in(page, live_server, "ds1")
    page.goto(f"{live_server}/stock-counts")
    page.click("#start-count button[type=submit]")
    page.wait_for_selector("#count-lines")
    sale = shop["pharmacist"].post("/api/v1/sales", json={
        "store_id": shop["store"], "lines": [{"product_id": shop["product"], "unit": "Viên", "quantity": 5}]})
    assert sale.status_code == 201  # sold from SOON while counting
    for lot, quantity in (("OLD", "50"), ("SOON", "18"), ("LATE", "100")):
        page.fill(f"#count-lines tr[data-lot={lot}] input", quantity)
    page.click("#submit-count")
    page.wait_for_selector("#variances")
    assert "SOON" in page.inner_text("#variances") and "-800" in page.inner_text("#variances")
    url = page.url
    counter.close()

    owner = _context(chromium, 1366)
    page = owner.new_page()
    sign_in(page, live_server, "owner")
    page.goto(url)
    page.click("#approve-count")
    page.wait_for_selector("text=Đã duyệt")
    owner.close()

    from pharmacy.extensions import db
    from pharmacy.models import StockLot

    with app.app_context():
        on_hand = dict(db.session.execute(select(StockLot.lot, StockLot.quantity)).all())
    assert on_hand == {"OLD": 50, "SOON": 13, "LATE": 100}
