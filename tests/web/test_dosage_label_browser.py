"""In Chromium: directions typed on a cart line print in full Vietnamese on the receipt and on the dosage label."""
from __future__ import annotations

from .conftest import PARA_BOX, scan, sign_in


def test_directions_typed_at_the_counter_reach_the_dosage_label(page, live_server, counter_shop):
    sign_in(page, live_server, "ds1")
    page.goto(f"{live_server}/counter")
    scan(page, PARA_BOX)
    line = page.locator('#cart-lines tr[data-line="0"]')
    line.locator("text=PARA-SOON").wait_for()
    page.press("#scan", "ArrowUp")
    page.keyboard.press("F4")  # Hộp → Vỉ: sold out of its box
    page.wait_for_function("document.querySelector('#cart-lines tr[data-line=\"0\"] select').value === 'Vỉ'")
    line.locator("input.directions").fill("S1 C1 SA x5")
    line.locator("input.directions").press("Tab")
    page.keyboard.press("F9")
    page.locator("#pay-dialog[open]").wait_for()
    page.type("#pay-tendered", "10000")
    page.press("#pay-tendered", "Enter")
    page.wait_for_url("**/receipt?from=counter")
    assert "Uống: sáng 01 vỉ, chiều 01 vỉ, sau ăn. Dùng 5 ngày." in page.locator("#receipt").inner_text()
    page.keyboard.press("l")
    page.wait_for_url("**/dosage-labels")
    label = page.locator(".dosage-label").first.inner_text()
    assert "Paracetamol 500mg" in label and "PARA-SOON" in label and "Nhà thuốc CH01" in label
    assert "Uống: sáng 01 vỉ, chiều 01 vỉ, sau ăn. Dùng 5 ngày." in label
