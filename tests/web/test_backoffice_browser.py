"""Back-office pages in Chromium: a supplier line at price 0 is confirmed as free goods before saving; the
e-prescription dialog reads ISO 8601 dates (and missing ones) and shows dd/MM/yyyy."""
from __future__ import annotations

from datetime import date, timedelta

from .conftest import sign_in


def add_receipt_line(page, query: str, lot: str) -> None:
    page.type("#receipt-scan", query)
    page.press("#receipt-scan", "Enter")  # one product found: added at once
    row = page.locator("#receipt-lines tbody tr").last
    row.wait_for()
    row.locator('[name="lot"]').fill(lot)
    row.locator('[name="expiry"]').fill((date.today() + timedelta(days=700)).isoformat())
    row.locator('[name="quantity"]').fill("5")


def test_supplier_line_at_price_zero_is_confirmed_as_free_goods(page, live_server, counter_shop):
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" and "/api/v1/receipts" in r.url else None)
    sign_in(page, live_server, "ds1")
    page.goto(f"{live_server}/receipts/new")
    page.select_option('[name="kind"]', "supplier")
    page.fill('[name="supplier_name"]', "Công ty Dược Hậu Giang")
    add_receipt_line(page, "vitamin", "VC-NEW")
    page.keyboard.press("F9")
    dialog = page.locator("#free-dialog[open]")
    dialog.wait_for()
    assert "Vitamin C 500mg" in dialog.inner_text() and "0 ₫" in dialog.inner_text()
    page.keyboard.press("Escape")  # no: type the price
    page.wait_for_function("document.activeElement.name === 'unit_price'")
    assert not posts

    page.keyboard.press("F9")
    dialog.wait_for()
    page.keyboard.press("Enter")  # yes, a free sample
    page.locator("#receipt-status.ok").wait_for()
    assert len(posts) == 1

    add_receipt_line(page, "vitamin", "VC-NEW2")
    page.locator('#receipt-lines tbody tr [name="unit_price"]').fill("250")
    page.keyboard.press("F9")
    page.wait_for_function("document.querySelector('#receipt-lines tbody').children.length === 0")
    assert len(posts) == 2 and not page.locator("#free-dialog").evaluate("d => d.open")


def test_prescription_dialog_reads_iso_dates_and_missing_ones(page, live_server, counter_shop):
    answer = {
        "code": "79011A3F9K2Q-C", "patient": {"name": "Nguyễn Văn An", "birth_date": "1978-03-15"},
        "validity": {"issued_on": "2026-11-20", "expires_on": "2026-11-24", "expired": False},
        "doctor": "BS. Trần Minh Đức", "facility": "BV 115", "diagnoses": [], "warnings": [], "lines": [],
        "issued_at": "2026-11-19T17:30:00Z", "follow_up_on": None, "advice": "",
    }

    def lookup(route):
        route.fulfill(json=answer)

    sign_in(page, live_server, "ds1")
    page.route("**/api/v1/prescriptions/national/**", lookup)
    page.goto(f"{live_server}/counter")
    page.keyboard.press("F7")
    page.type("#rx-code", "79011a3f9k2q-c")
    page.press("#rx-code", "Enter")
    page.locator("#rx-result:not([hidden])").wait_for()
    facts = page.locator("#rx-facts").inner_text()
    assert "15/03/1978" in facts and "20/11/2026" in facts and "24/11/2026" in facts
    assert "undefined" not in facts and "GMT" not in facts

    answer["patient"]["birth_date"] = None
    answer["validity"] = {"issued_on": None, "expires_on": None, "expired": False}
    answer["follow_up_on"] = "2026-12-01T03:00:00+07:00"
    page.fill("#rx-code", "79011a3f9k2q-c")
    page.press("#rx-code", "Enter")
    page.locator("#rx-facts").filter(has_text="01/12/2026").wait_for()
    facts = page.locator("#rx-facts").inner_text()
    assert "undefined" not in facts and "null" not in facts and "Nguyễn Văn An" in facts
