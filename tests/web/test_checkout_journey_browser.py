"""Issue 16's done-when, in real Chromium: the customer by phone (F10) → a discount on the line within the
pharmacist's limit (F6) → VietQR at F9 → the sandbox bank's notification → paid → the receipt with gross, discount
and net → the dosage label of the blister sold out of its box, with the directions and the customer's name."""
from __future__ import annotations

from .conftest import PARA_BOX, attach_customer, open_counter, pay_by_transfer, scan

DIRECTIONS = "Uống: sáng 01 vỉ, chiều 01 vỉ, sau ăn. Dùng 5 ngày."


def ceiling(books, percent: int, **bank) -> None:
    owner = books.api("owner")
    store = owner.get("/api/v1/stores").json["items"][0]["id"]
    assert owner.patch(f"/api/v1/stores/{store}", json={
        "pharmacist_max_discount_percent": percent, **bank}).status_code == 200


def blisters(page, quantity: int) -> None:
    """One box scanned, then sold as blisters: F4 (Hộp → Vỉ), F3 and the quantity."""
    scan(page, PARA_BOX)
    page.locator('#cart-lines tr[data-line="0"]').locator("text=PARA-SOON").wait_for()
    page.press("#scan", "ArrowUp")
    page.keyboard.press("F4")
    page.wait_for_function("document.querySelector('#cart-lines tr[data-line=\"0\"] select').value === 'Vỉ'")
    page.keyboard.press("F3")
    page.keyboard.type(str(quantity))
    page.keyboard.press("Enter")


def line_discount(page, typed: str) -> None:
    page.press("#scan", "ArrowUp")
    page.keyboard.press("F6")
    box = page.locator('input.discount[data-line="0"]')
    assert box.evaluate("node => node === document.activeElement")
    box.fill(typed)
    box.press("Enter")


def test_phone_line_discount_vietqr_bank_notification_paid_receipt_and_dosage_label(
        page, live_server, counter_shop, books, app):
    app.config.update({"SANDBOX_MODE": True, "BANK_WEBHOOK_KEY": "browser-bank-key"})
    ceiling(books, 10, bank_bin="970436", bank_account="0071000123456", bank_account_name="NHA THUOC CH01")
    assert books.api("owner").post("/api/v1/customers", json={"phone": "0912345678",
                                                              "name": "Lê Thị Hoa"}).status_code == 201
    open_counter(page, live_server)
    attach_customer(page, "0912 345 678", "Lê Thị Hoa")

    blisters(page, 4)  # 4 Vỉ × 5.000
    page.locator("#cart-total").filter(has_text="20.000").wait_for()
    line = page.locator('#cart-lines tr[data-line="0"]')
    line.locator("input.directions").fill("S1 C1 SA x5")
    line.locator("input.directions").press("Tab")
    line_discount(page, "10%")  # exactly the pharmacist's limit
    page.locator("#cart-total").filter(has_text="18.000").wait_for()
    assert "20.000" in line.locator("td.amount s.gross").inner_text()
    assert page.inner_text("#cart-discount-total") == "−2.000\u00a0₫"
    assert "Chiết khấu dòng" in page.inner_text("#scan-status")

    page.keyboard.press("F9")
    page.locator("#pay-dialog[open]").wait_for()
    page.locator("#pay-total").filter(has_text="18.000").wait_for()
    assert page.locator("#pay-approval").is_hidden()
    page.fill("#pay-discount", "20000")  # more than what the cart nets: said in the dialog
    page.locator("#pay-error").filter(has_text="18000").wait_for()
    page.fill("#pay-discount", "")
    page.wait_for_function("document.getElementById('pay-error').textContent === ''")
    assert "18.000" in page.inner_text("#pay-total")
    page.fill("#pay-discount-reason", "Khách quen")
    pay_by_transfer(page)
    page.locator("#qr-amount").filter(has_text="18.000").wait_for()
    page.click("#qr-sandbox")  # the sandbox bank posts the bank feed's notification to the webhook
    page.wait_for_url("**/receipt?from=counter", timeout=5_000)

    receipt = page.locator("#receipt").inner_text()
    assert "Lê Thị Hoa" in receipt and DIRECTIONS in receipt and "Khách quen" in receipt
    assert "20.000\u00a0₫" in receipt and "−2.000\u00a0₫" in receipt and "18.000\u00a0₫" in receipt
    sale = books.api("ds1").get("/api/v1/sales").json["items"][0]
    assert sale["payment"]["status"] == "paid" and sale["total"] == 18_000
    assert sale["lines"][0]["discount_amount"] == 2_000 and sale["lines"][0]["directions_text"] == DIRECTIONS
    page.keyboard.press("l")
    page.wait_for_url("**/dosage-labels")
    label = page.locator(".dosage-label").first.inner_text()
    assert "Paracetamol 500mg" in label and "PARA-SOON" in label and DIRECTIONS in label
    assert "Lê Thị Hoa" in label and "Nhà thuốc CH01" in label


def test_a_line_discount_above_the_limit_asks_the_owner_before_paying(page, live_server, counter_shop, books):
    ceiling(books, 5)
    open_counter(page, live_server)
    blisters(page, 2)
    page.locator("#cart-total").filter(has_text="10.000").wait_for()
    line_discount(page, "abc")
    page.locator("#scan-status").filter(has_text="Nhập chiết khấu theo phần trăm").wait_for()
    page.locator('input.discount[data-line="0"]').fill("1.000")  # 10 % of the line: above the 5 %
    page.locator('input.discount[data-line="0"]').press("Enter")
    page.locator("#cart-total").filter(has_text="9.000").wait_for()
    assert "vượt mức tối đa 5%" in page.inner_text("#scan-status")
    line_discount(page, "20000")  # more than the line: refused, the last good cart stays
    page.locator("#scan-status").filter(has_text="10000").wait_for()
    assert "9.000" in page.inner_text("#cart-total")
    page.keyboard.press("Escape")

    page.keyboard.press("F9")
    page.locator("#pay-dialog[open]").wait_for()
    page.locator("#pay-approval:not([hidden])").wait_for()
    assert "vượt mức tối đa 5%" in page.inner_text("#pay-error")
    page.fill("#approval-username", "owner")
    page.fill("#approval-password", "secret-pass-1")
    page.type("#pay-tendered", "10000")
    page.press("#approval-password", "Enter")  # no reason yet: refused, the reason box has the focus
    page.locator("#pay-error").filter(has_text="Chiết khấu cần có lý do").wait_for()
    assert page.evaluate("document.activeElement.id") == "pay-discount-reason"
    page.fill("#pay-discount-reason", "Khách quen")
    page.fill("#approval-password", "secret-pass-1")
    page.press("#approval-password", "Enter")
    page.wait_for_url("**/receipt?from=counter")
    assert "−1.000\u00a0₫" in page.locator("#receipt").inner_text()
    sale = books.api("owner").get("/api/v1/sales").json["items"][0]
    assert sale["total"] == 9_000 and sale["lines"][0]["discount_amount"] == 1_000


def test_a_transfer_the_feed_missed_is_confirmed_by_the_owner_at_the_counter(page, live_server, counter_shop, books):
    ceiling(books, 0, bank_bin="970436", bank_account="0071000123456", bank_account_name="NHA THUOC CH01")
    open_counter(page, live_server)
    scan(page, PARA_BOX)
    page.locator("#cart-total").filter(has_text="48.000").wait_for()
    page.keyboard.press("F9")
    pay_by_transfer(page)
    page.click("#qr-received")
    page.fill("#received-username", "owner")
    page.fill("#received-password", "not-the-password")
    page.press("#received-password", "Enter")
    page.locator("#qr-status").filter(has_text="mật khẩu").wait_for()
    sale = books.api("owner").get("/api/v1/sales").json["items"][0]
    assert sale["payment"]["status"] == "awaiting_payment"
    page.fill("#received-password", "secret-pass-1")
    page.press("#received-password", "Enter")
    page.wait_for_url("**/receipt?from=counter")
    sale = books.api("owner").get("/api/v1/sales").json["items"][0]
    assert sale["payment"]["status"] == "paid"
