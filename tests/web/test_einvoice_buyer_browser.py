"""Chromium: a customer asks for their company on the tax e-invoice — the pharmacist fills the buyer in the payment
dialog (F9); a tax code without the business's name is refused inside the dialog, on that box, and nothing is sold;
with name and address the sale carries the buyer to its invoice. Stores without e-invoices show no buyer box."""
from __future__ import annotations

from .conftest import PARA_BOX, open_counter, scan

ON = {"einvoice_provider": "sandbox", "seller_tax_code": "0312345678", "einvoice_template": "1",
      "einvoice_symbol": "C26MAA", "einvoice_authority_code": "43836"}


def to_payment(page) -> None:
    scan(page, PARA_BOX)
    page.locator('#cart-lines tr[data-line="0"]').locator("text=PARA-SOON").wait_for()
    page.keyboard.press("F9")
    page.locator("#pay-dialog[open]").wait_for()


def test_the_buyer_typed_at_the_counter_reaches_the_invoice(page, live_server, counter_shop, books):
    owner = books.api("owner")
    store = owner.get("/api/v1/stores").json["items"][0]["id"]
    assert owner.patch(f"/api/v1/stores/{store}", json=ON).status_code == 200
    open_counter(page, live_server)
    to_payment(page)
    page.click("#pay-buyer summary")
    assert "Thông tin người mua trên hóa đơn điện tử" in page.inner_text("#pay-buyer summary")
    for width in (768, 1920):  # the open buyer box fits the dialog and the dialog the screen, in Vietnamese
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        box = page.locator("#pay-buyer").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
        labels = page.inner_text("#pay-buyer")
        assert "Mã số thuế người mua" in labels and "Email nhận hóa đơn" in labels
        assert not any(word in labels for word in ("Buyer", "tax code", "E-mail for", "Phone for"))
    page.fill("#buyer-tax_code", "0109876543")
    page.locator('#pay-form input[value="cash"]').focus()
    page.keyboard.press("Enter")
    page.locator("#pay-error").filter(has_text="tên").wait_for()
    assert page.evaluate("document.activeElement.id") == "buyer-name"
    assert books.api("ds1").get("/api/v1/sales").json["total"] == 0  # refused: nothing sold

    page.fill("#buyer-name", "Công ty TNHH Dược An Bình")
    page.fill("#buyer-address", "45 Lê Lợi, Quận 1, TP. Hồ Chí Minh")
    page.fill("#buyer-email", "ketoan@anbinh.vn")
    page.locator('#pay-form input[value="cash"]').focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/receipt?from=counter", timeout=5_000)
    sale = books.api("ds1").get("/api/v1/sales").json["items"][0]
    buyer = books.api("ds1").get(f"/api/v1/sales/{sale['id']}").json["einvoice"]["buyer"]
    assert buyer == {"tax_code": "0109876543", "name": "Công ty TNHH Dược An Bình",
                     "address": "45 Lê Lợi, Quận 1, TP. Hồ Chí Minh", "email": "ketoan@anbinh.vn"}


def test_a_store_without_e_invoices_asks_for_no_buyer(page, live_server, counter_shop):
    open_counter(page, live_server)
    to_payment(page)
    assert page.locator("#pay-buyer").count() == 0
