"""Counter papercuts in Chromium: F9 then 1/2/3 picks the payment method and digits go to the cash tendered; a
refused line gives one red message; a shortage is said in the line's unit; a checkout attempt keeps one
Idempotency-Key across a retry."""
from __future__ import annotations

import re
from datetime import date, timedelta

from .conftest import EXPIRED_BOX, PARA_BOX, scan, sign_in


def checked_method(page) -> str:
    return page.eval_on_selector('#pay-form input[name="method"]:checked', "i => i.value")


def test_f9_then_digits_choose_the_method_and_type_the_cash(page, live_server, counter_shop):
    sign_in(page, live_server, "ds1")
    page.goto(f"{live_server}/counter")
    scan(page, PARA_BOX)
    page.locator("#cart-total").filter(has_text="48.000").wait_for()
    page.keyboard.press("F9")
    page.locator("#pay-dialog[open]").wait_for()
    assert page.evaluate("document.activeElement.name") == "method"  # the method row has focus, not the amount

    page.keyboard.press("2")
    assert checked_method(page) == "bank_transfer" and page.input_value("#pay-tendered") == ""
    assert page.locator("#tendered-label").is_hidden()
    page.keyboard.press("3")
    assert checked_method(page) == "card"
    page.keyboard.press("1")
    assert checked_method(page) == "cash" and page.evaluate("document.activeElement.id") == "pay-tendered"
    page.keyboard.type("50000")
    page.locator("#pay-change").filter(has_text="2.000").wait_for()  # the change comes from the server's preview

    page.keyboard.press("Escape")
    page.keyboard.press("F9")
    page.locator("#pay-dialog[open]").wait_for()
    page.keyboard.type("120000")  # 1 = cash, then the amount
    assert page.input_value("#pay-tendered") == "20.000" and checked_method(page) == "cash"  # read as typed
    page.keyboard.press("Enter")
    page.locator("#pay-error").filter(has_text=re.compile("chưa đủ|không đủ", re.I)).wait_for()
    assert page.url.endswith("/counter")
    page.keyboard.press("Escape")
    page.keyboard.press("F9")
    page.locator("#pay-dialog[open]").wait_for()
    page.keyboard.type("50000")  # a digit that is no method key goes straight to the amount (cash)
    assert page.input_value("#pay-tendered") == "50.000"
    page.keyboard.press("Enter")
    page.wait_for_url("**/receipt?from=counter")


def test_refused_expired_lot_gives_one_red_message(page, live_server, counter_shop):
    sign_in(page, live_server, "ds1")
    page.goto(f"{live_server}/counter")
    expired = date.today() - timedelta(days=5)
    page.type("#scan", f"]d2010{EXPIRED_BOX}17{expired:%y%m%d}10VC-OLD")
    page.press("#scan", "Enter")
    page.locator('#cart-lines tr[data-line="0"].blocked').wait_for()
    status = page.locator("#scan-status")
    assert status.get_attribute("class") == "status error"
    assert "Đã thêm" not in status.inner_text() and "hết hạn" in status.inner_text()

    page.keyboard.press("F8")
    scan(page, EXPIRED_BOX)  # the plain barcode: only expired stock
    page.locator('#cart-lines tr[data-line="0"].blocked').wait_for()
    assert status.get_attribute("class") == "status error" and "Đã thêm" not in status.inner_text()


def test_shortage_is_said_in_the_line_unit_with_thousands_separators(page, live_server, counter_shop):
    sign_in(page, live_server, "ds1")
    page.goto(f"{live_server}/counter")
    scan(page, "9*paracetamol")  # 9 Viên: 441 of the 450 left for the next line
    page.locator('#cart-lines tr[data-line="0"]').wait_for()
    scan(page, PARA_BOX)
    page.locator('#cart-lines tr[data-line="1"]').wait_for()
    page.keyboard.press("F4")  # Hộp → Vỉ
    page.wait_for_function("document.querySelector('#cart-lines tr[data-line=\"1\"] select').value === 'Vỉ'")
    page.keyboard.press("F3")
    page.keyboard.type("100000")
    page.keyboard.press("Enter")
    problem = page.locator('#cart-lines tr[data-line="1"] .problem')
    problem.wait_for()
    assert problem.inner_text() == "Không đủ hàng: cần 100.000 Vỉ, còn 44 Vỉ 1 Viên có thể bán."


def test_a_checkout_attempt_sends_one_idempotency_key_across_a_retry(page, live_server, counter_shop):
    keys, failed = [], []

    def first_fails(route):
        keys.append(route.request.headers.get("idempotency-key"))
        if not failed:
            failed.append(True)
            route.abort("connectionreset")  # the network dropped: the counter cannot know if it was sold
        else:
            route.continue_()

    sign_in(page, live_server, "ds1")
    page.route("**/api/v1/sales", first_fails)
    page.goto(f"{live_server}/counter")
    scan(page, PARA_BOX)
    page.locator("#cart-total").filter(has_text="48.000").wait_for()
    page.keyboard.press("F9")
    page.locator("#pay-dialog[open]").wait_for()
    page.keyboard.press("Enter")
    page.locator("#pay-error").filter(has_text="Lỗi mạng").wait_for()
    page.keyboard.press("Escape")  # closed and opened again: still the same attempt
    page.keyboard.press("F9")
    page.locator("#pay-dialog[open]").wait_for()
    page.keyboard.press("Enter")
    page.wait_for_url("**/receipt?from=counter")
    assert len(keys) == 2 and keys[0] == keys[1]
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", keys[0])
