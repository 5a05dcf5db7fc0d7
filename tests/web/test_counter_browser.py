"""The counter in real Chromium: scan EAN-13 and GS1 DataMatrix (GS as Ctrl+]), change unit, pay, read the receipt;
refusals for an expired-only product and a prescription drug without a prescription."""
from __future__ import annotations

from datetime import date

from .conftest import EXPIRED_BOX, PARA_BOX, RX_BOX, SYRUP_BOTTLE, scan, sign_in


def test_counter_sells_scanned_packs_and_prints_the_receipt(page, live_server, counter_shop):
    sign_in(page, live_server, "ds1")
    page.goto(f"{live_server}/counter")
    assert page.evaluate("document.activeElement.id") == "scan"

    scan(page, PARA_BOX)
    first = page.locator('#cart-lines tr[data-line="0"]')
    first.locator("text=PARA-SOON").wait_for()
    assert first.locator("select").input_value() == "Hộp"

    # A GS1 DataMatrix as a keyboard-wedge scanner types it: ]d2, GTIN, expiry, lot, GS as Ctrl+], serial.
    expiry = counter_shop["late_expiry"]
    page.type("#scan", f"]d2010{SYRUP_BOTTLE}17{expiry:%y%m%d}10BT2409")
    page.keyboard.press("Control+BracketRight")
    page.type("#scan", "21SN0001")
    assert page.input_value("#scan").count("\x1d") == 1
    page.press("#scan", "Enter")
    second = page.locator('#cart-lines tr[data-line="1"]')
    second.locator("text=BT2409").wait_for()
    assert "BT2401" not in second.inner_text()  # the scanned lot, not FEFO's earliest

    # Change the unit of the first line from the keyboard: ↑ selects it, F4 goes Hộp → Vỉ.
    page.press("#scan", "ArrowUp")
    page.keyboard.press("F4")
    page.wait_for_function("document.querySelector('#cart-lines tr[data-line=\"0\"] select').value === 'Vỉ'")
    page.press("#scan", "+")
    page.wait_for_function("document.querySelector('#cart-lines tr[data-line=\"0\"] input.qty').value === '2'")
    page.locator("#cart-total").filter(has_text="52.000").wait_for()  # 2 Vỉ × 5.000 + 1 Chai × 42.000
    page.screenshot(path="/tmp/counter.png", full_page=True)

    page.keyboard.press("F9")
    page.locator("#pay-dialog[open]").wait_for()
    page.type("#pay-tendered", "100000")
    page.locator("#pay-change").filter(has_text="48.000").wait_for()
    page.press("#pay-tendered", "Enter")
    page.wait_for_url("**/receipt?from=counter")
    receipt = page.locator("#receipt").inner_text()  # as rendered: the store name is upper-cased by CSS
    assert "NHÀ THUỐC CH01" in receipt and "1 Lê Lợi, Quận 1" in receipt
    assert "Lô PARA-SOON" in receipt and "Lô BT2409" in receipt
    assert f"HSD {expiry:%d/%m/%Y}" in receipt
    assert "52.000\u00a0₫" in receipt and "Thuốc ho Bảo Thanh" in receipt
    page.screenshot(path="/tmp/receipt.png", full_page=True)

    page.keyboard.press("Enter")  # next customer: back in the scan box
    page.wait_for_url(f"{live_server}/counter")
    assert page.evaluate("document.activeElement.id") == "scan"


def test_counter_refuses_expired_only_stock_and_rx_without_prescription(page, live_server, counter_shop):
    sign_in(page, live_server, "ds1")
    page.goto(f"{live_server}/counter")

    scan(page, EXPIRED_BOX)
    row = page.locator('#cart-lines tr[data-line="0"]')
    row.locator(".problem").filter(has_text="hết hạn").wait_for()
    page.keyboard.press("F9")
    page.locator("#scan-status.error").filter(has_text="không bán được").wait_for()
    assert not page.locator("#pay-dialog").evaluate("d => d.open")

    page.keyboard.press("F8")
    page.locator("#cart-lines tr.empty").wait_for()
    scan(page, RX_BOX)
    page.locator('#cart-lines tr[data-line="0"] .badge.rx').wait_for()
    page.keyboard.press("F9")
    page.locator("#scan-status.error").filter(has_text="thuốc kê đơn").wait_for()
    page.locator("#rx-dialog[open]").wait_for()  # asked for the prescription instead of paying

    page.fill("#rx-doctor", "BS. Phạm Huy")  # a paper prescription (national codes: tests/prescriptions)
    page.fill("#rx-facility", "PK Sài Gòn")
    page.fill("#rx-patient", "Nguyễn An")
    page.fill("#rx-date", date.today().isoformat())
    page.press("#rx-date", "Enter")
    page.locator("#rx-state.ok").wait_for()
    page.keyboard.press("F9")
    page.locator("#pay-dialog[open]").wait_for()
    page.press("#pay-tendered", "Enter")
    page.wait_for_url("**/receipt?from=counter")
    assert "PK Sài Gòn" in page.locator("#receipt").inner_text()


def test_typed_text_finds_products_without_diacritics_and_one_result_is_added_on_the_first_enter(
        page, live_server, counter_shop):
    sign_in(page, live_server, "ds1")
    page.goto(f"{live_server}/counter")
    scan(page, "thuoc ho")  # one product matches: no list to confirm, the first Enter adds it
    page.locator('#cart-lines tr[data-line="0"]').filter(has_text="BT2401").wait_for()  # FEFO: earliest expiry
    assert "Thuốc ho Bảo Thanh" in page.locator("#scan-status.ok").inner_text()
    assert not page.locator("#results-dialog").evaluate("d => d.open")
    assert page.evaluate("document.activeElement.id") == "scan"


def test_search_results_show_stock_on_hand_when_the_search_gives_it(page, live_server, counter_shop):
    def with_on_hand(route):  # set figures for the test; an answer without one (no store named) shows nothing
        answer = route.fetch().json()
        for product in answer.get("results", []):
            if product["name"].startswith("Paracetamol"):
                product["on_hand"] = 438
            elif product["name"].startswith("Vitamin C"):
                product["on_hand"] = 0
            else:
                product.pop("on_hand", None)
        route.fulfill(json=answer)

    sign_in(page, live_server, "ds1")
    page.route("**/api/v1/scan?*", with_on_hand)
    page.goto(f"{live_server}/counter")
    scan(page, "500mg")
    page.locator("#results-dialog[open]").wait_for()
    items = page.locator("#results-list li")
    texts = {items.nth(i).locator("strong").inner_text(): items.nth(i).inner_text() for i in range(items.count())}
    assert "còn: 4 Hộp 3 Vỉ 8 Viên" in texts["Paracetamol 500mg"]
    assert "hết hàng" in texts["Vitamin C 500mg"]
    assert "còn" not in texts["Amoxicillin 500mg"]  # no figure given: nothing shown


def test_a_cart_drawn_while_the_next_code_is_being_typed_keeps_what_was_typed(page, live_server, counter_shop):
    """A wedge scanner types the next code while the previous scan's cart is still on its way: the cart drawn in the
    middle of that code must not select the box (the next keystroke would replace what was typed, a scan lost)."""
    sign_in(page, live_server, "ds1")
    page.goto(f"{live_server}/counter")
    held = []
    page.route("**/api/v1/counter/preview", lambda route: route.continue_() if held else held.append(route))
    scan(page, PARA_BOX)
    for _ in range(100):  # the first scan's preview reaches the route and is held (bounded: 10 s)
        if held:
            break
        page.wait_for_timeout(100)
    assert len(held) == 1
    page.type("#scan", SYRUP_BOTTLE[:6])
    held[0].continue_()
    page.locator('#cart-lines tr[data-line="0"]').wait_for()  # the held cart is drawn mid-code
    page.type("#scan", SYRUP_BOTTLE[6:])
    page.press("#scan", "Enter")
    page.locator('#cart-lines tr[data-line="1"]').filter(has_text="Thuốc ho Bảo Thanh").wait_for()
    assert page.input_value("#scan") == ""
    assert "Paracetamol" in page.inner_text('#cart-lines tr[data-line="0"]')


def test_lines_stay_in_scan_order_when_a_later_code_is_answered_first(page, live_server, counter_shop):
    """Two packs scanned back to back, the first one's answer late: the cart lists them as they were scanned."""
    sign_in(page, live_server, "ds1")
    page.goto(f"{live_server}/counter")
    held = []
    page.route("**/api/v1/scan?*", lambda route: route.continue_() if held else held.append(route))
    scan(page, PARA_BOX)
    for _ in range(100):  # the first scan reaches the route and is held (bounded: 10 s)
        if held:
            break
        page.wait_for_timeout(100)
    assert len(held) == 1
    with page.expect_response("**/api/v1/scan?*"):
        scan(page, SYRUP_BOTTLE)  # answered while the first waits
    page.wait_for_timeout(200)
    assert page.locator("#cart-lines tr[data-line]").count() == 0  # taken in its turn, after the first
    held[0].continue_()
    page.locator('#cart-lines tr[data-line="1"]').wait_for()
    assert "Paracetamol" in page.inner_text('#cart-lines tr[data-line="0"]')
    assert "Thuốc ho Bảo Thanh" in page.inner_text('#cart-lines tr[data-line="1"]')
