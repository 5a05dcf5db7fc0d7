"""Chromium: the owner's audit page lists a price change with before → after, filters by what, verifies the journal
on a button, and the dashboard shows the last verification; pharmacists cannot open it."""
from __future__ import annotations

from .conftest import sign_in


def test_owner_sees_the_trail_filters_and_verifies(page, live_server, counter_shop, books):
    owner = books.api("owner")
    product = owner.get("/api/v1/products?q=paracetamol").json["items"][0]
    units = [{k: u[k] for k in ("name", "factor", "price")} for u in product["units"]]
    units[0]["price"] = 600
    assert owner.patch(f"/api/v1/products/{product['id']}", json={"units": units}).status_code == 200

    sign_in(page, live_server, "owner")
    page.goto(f"{live_server}/audit")
    page.locator("#last-verification").filter(has_text="chưa được kiểm tra").wait_for()
    page.select_option("select[name=entity]", "product_units")
    page.click("#audit-filters button[type=submit]")
    row = page.locator("#audit-table tbody tr").first
    assert "500 → 600" in row.inner_text() and "owner" in row.inner_text()
    assert "Đơn vị và giá" in row.inner_text()

    page.click("#verify-now")
    page.locator("#last-verification.ok").filter(has_text="nguyên vẹn").wait_for()
    for width in (768, 1920):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path="/tmp/audit-page.png", full_page=True)
    page.goto(f"{live_server}/dashboard")
    page.locator("#last-verification").filter(has_text="nguyên vẹn").wait_for()


def test_pharmacist_cannot_open_the_audit_page(page, live_server, counter_shop):
    sign_in(page, live_server, "ds1")
    response = page.goto(f"{live_server}/audit")
    assert response.status == 403
