"""Chromium: the controlled-drug XNT and customer books show the ledger's numbers, print on A4 landscape (a PDF of
A4 pages; the print layout fits the A4 width as a picture) and a count variance shows on the dashboard with its
48-hour deadline."""
from __future__ import annotations

import re

from ..controlled.conftest import controlled_shop, sell  # noqa: F401 - the controlled shop and its sale
from .conftest import sign_in

A4_LANDSCAPE = (842, 595)  # points


def test_books_show_the_ledger_and_print_on_a4(page, live_server, controlled_shop):  # noqa: F811
    shop = controlled_shop
    narcotic = shop["products"]["narcotic"]
    assert sell(shop["licensed"], shop["pharmacy"], narcotic, quantity=2).status_code == 201
    sign_in(page, live_server, "licensed")
    page.goto(f"{live_server}/controlled/books/xnt")
    table = page.locator(f'table.controlled-book[data-product="{narcotic}"]')
    table.wait_for()
    totals = table.locator("tr.totals").inner_text()
    assert re.search(r"50\s+2\s+48", totals), totals
    assert "SỔ THEO DÕI XUẤT, NHẬP, TỒN" in page.content()

    page.emulate_media(media="print")
    page.set_viewport_size({"width": 1123, "height": 794})  # A4 landscape at 96 dpi
    assert page.evaluate("document.documentElement.scrollWidth") <= 1123
    assert page.locator(".topbar").first.is_hidden() if page.locator(".topbar").count() else True
    page.screenshot(path="/tmp/controlled-xnt-print.png", full_page=True)
    pdf = page.pdf(format="A4", landscape=True, print_background=True)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes and all(abs(float(w) - A4_LANDSCAPE[0]) < 2 and abs(float(h) - A4_LANDSCAPE[1]) < 2
                         for w, h in boxes)

    page.emulate_media(media="screen")
    page.goto(f"{live_server}/controlled/books/customers")
    row = page.locator("#customer-book tbody tr").first
    assert "Nguyễn Văn An" in row.inner_text() and "079123456789" in row.inner_text() and "Mẫu N" in row.inner_text()
    page.emulate_media(media="print")
    page.screenshot(path="/tmp/controlled-customers-print.png", full_page=True)


def test_a_controlled_count_variance_shows_on_the_dashboard(page, live_server, controlled_shop):  # noqa: F811
    shop = controlled_shop
    api, narcotic = shop["licensed"], shop["products"]["narcotic"]
    count = api.post("/api/v1/stock-counts", json={"store_id": shop["pharmacy"], "scope": "products",
                                                   "product_ids": [narcotic]}).json
    api.put(f"/api/v1/stock-counts/{count['id']}/lines", json={"lines": [
        {"product_id": narcotic, "lot": "L-NARC", "unit": "Viên", "quantity": 49}]})
    api.post(f"/api/v1/stock-counts/{count['id']}/submit")
    assert shop["owner"].post(f"/api/v1/stock-counts/{count['id']}/approve").status_code == 200
    sign_in(page, live_server, "owner")
    page.goto(f"{live_server}/dashboard")
    section = page.locator("#controlled-incidents")
    section.wait_for()
    assert "L-NARC" in section.inner_text() and "Báo cáo trước" in section.inner_text()
