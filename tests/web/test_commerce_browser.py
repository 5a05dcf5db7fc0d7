"""Issue 16 in real Chromium: the customer by phone (F10) → a discount within the store's ceiling → VietQR at F9 →
the sandbox bank's notification → the counter sees it paid → the receipt with gross, discount and net."""
from __future__ import annotations

from .conftest import PARA_BOX, attach_customer, open_counter, pay_by_transfer, scan, sign_in


def test_phone_discount_vietqr_sandbox_bank_paid_receipt(page, live_server, counter_shop, books, app):
    app.config.update({"SANDBOX_MODE": True, "BANK_WEBHOOK_KEY": "browser-bank-key"})
    owner = books.api("owner")
    store = owner.get("/api/v1/stores").json["items"][0]["id"]
    assert owner.patch(f"/api/v1/stores/{store}", json={
        "bank_bin": "970436", "bank_account": "0071000123456", "bank_account_name": "NHA THUOC CH01",
        "pharmacist_max_discount_percent": 10}).status_code == 200
    assert owner.post("/api/v1/customers", json={"phone": "0912345678", "name": "Lê Thị Hoa",
                                                 "allergies": "Penicillin"}).status_code == 201

    open_counter(page, live_server)
    attach_customer(page, "+84 912.345.678", "Lê Thị Hoa")
    assert "Dị ứng: Penicillin" in page.inner_text("#customer-state")

    scan(page, PARA_BOX)
    page.locator("#cart-total").filter(has_text="48.000").wait_for()
    page.keyboard.press("F9")
    page.locator("#pay-dialog[open]").wait_for()
    page.fill("#pay-discount", "4000")  # 8.3 % of 48.000: within the pharmacist's 10 %
    page.fill("#pay-discount-reason", "Khách quen")
    page.locator("#pay-total").filter(has_text="44.000").wait_for()
    pay_by_transfer(page)
    page.locator("#qr-amount").filter(has_text="44.000").wait_for()
    memo = page.inner_text("#qr-memo")
    assert memo.startswith("NT") and len(memo) == 10
    page.wait_for_function("document.getElementById('qr-image').complete"
                           " && document.getElementById('qr-image').naturalWidth > 0")  # the SVG drew
    page.screenshot(path="/tmp/vietqr.png", full_page=True)

    page.click("#qr-sandbox")  # the sandbox bank sends the bank feed's notification to our webhook
    page.wait_for_url("**/receipt?from=counter", timeout=5_000)
    receipt = page.locator("#receipt").inner_text()
    assert "Lê Thị Hoa" in receipt
    assert "48.000\u00a0₫" in receipt and "−4.000\u00a0₫" in receipt and "44.000\u00a0₫" in receipt
    assert "Khách quen" in receipt and "Chiết khấu" in receipt
    sale = books.api("ds1").get("/api/v1/sales").json["items"][0]
    assert sale["payment"]["status"] == "paid" and sale["total"] == 44_000 and sale["customer_name"] == "Lê Thị Hoa"


def test_a_discount_above_the_ceiling_needs_the_owner_at_the_counter(page, live_server, counter_shop, books):
    owner = books.api("owner")
    store = owner.get("/api/v1/stores").json["items"][0]["id"]
    owner.patch(f"/api/v1/stores/{store}", json={"pharmacist_max_discount_percent": 5})
    sign_in(page, live_server, "ds1")
    page.goto(f"{live_server}/counter")
    scan(page, PARA_BOX)
    page.locator("#cart-total").filter(has_text="48.000").wait_for()
    page.keyboard.press("F9")
    page.locator("#pay-dialog[open]").wait_for()
    page.fill("#pay-discount", "8000")
    page.fill("#pay-discount-reason", "Khách quen")
    page.press("#pay-discount-reason", "Enter")
    page.locator("#pay-approval:not([hidden])").wait_for()
    assert "5%" in page.inner_text("#pay-error")
    page.fill("#approval-username", "owner")
    page.fill("#approval-password", "secret-pass-1")
    page.press("#approval-password", "Enter")
    page.wait_for_url("**/receipt?from=counter")
    assert "40.000\u00a0₫" in page.locator("#receipt").inner_text()


def test_the_owner_typing_while_the_first_enter_is_on_its_way_pays_on_their_own_enter(page, live_server, counter_shop,
                                                                                      books):
    """The pharmacist presses Enter; the owner types their name while that press is still being checked (a slow
    server, held here on purpose), then the password, and presses Enter while the first press is on its way. The
    first press only asks for the owner (it never sends a half-typed approval), and the owner's Enter is not lost."""
    owner = books.api("owner")
    store = owner.get("/api/v1/stores").json["items"][0]["id"]
    owner.patch(f"/api/v1/stores/{store}", json={"pharmacist_max_discount_percent": 5})
    open_counter(page, live_server)
    scan(page, PARA_BOX)
    page.locator("#cart-total").filter(has_text="48.000").wait_for()
    page.keyboard.press("F9")
    page.locator("#pay-dialog[open]").wait_for()
    page.fill("#pay-discount", "8000")
    page.locator("#pay-approval:not([hidden])").wait_for()  # the discount's own check asks for the owner
    page.fill("#pay-discount-reason", "Khách quen")
    checks, sales = [], []

    def let_through(held: list, rounds: int) -> None:  # bounded: held requests go on, oldest first
        for _ in range(rounds):
            if "/receipt" in page.url:
                return
            if held:
                held.pop(0).continue_()
            page.wait_for_timeout(25)

    page.route("**/api/v1/counter/preview", lambda route: checks.append(route))
    page.route("**/api/v1/sales", lambda route: sales.append(route))
    page.press("#pay-discount-reason", "Enter")  # its check is held: this press is on its way
    page.fill("#approval-username", "owner")
    let_through(checks, 20)  # the first press goes on with the name typed and no password yet
    page.fill("#approval-password", "secret-pass-1")
    page.press("#approval-password", "Enter")  # a sale it might have sent is still held: this press is early
    for _ in range(100):
        let_through(checks, 1)
        let_through(sales, 1)
    page.unroute("**/api/v1/counter/preview")
    page.unroute("**/api/v1/sales")
    page.wait_for_url("**/receipt?from=counter")
    sale = owner.get("/api/v1/sales").json["items"][0]
    assert sale["total"] == 40_000 and sale["discount_amount"] == 8_000
