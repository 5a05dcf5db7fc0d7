"""The counter in real Chromium with a national prescription: type the code, see what is prescribed and left,
fill the cart with one key, pay, find the prescription on the receipt and in the prescription sales book."""
from __future__ import annotations

from connectors.sandboxes.eprescription.prescriptions import ORDINARY_CODE

from ..prescriptions.conftest import erx, erx_faults, hd_faults, health, rx_app, rx_shop  # noqa: F401 - sandboxes, shop
from .conftest import sign_in


def test_national_code_fills_the_cart_and_reaches_receipt_and_book(page, live_server, rx_shop):
    sign_in(page, live_server, "ds1")
    page.goto(f"{live_server}/counter")
    page.keyboard.press("F7")
    page.locator("#rx-dialog[open]").wait_for()
    page.type("#rx-code", " " + ORDINARY_CODE.upper())
    page.press("#rx-code", "Enter")
    page.locator("#rx-result:not([hidden])").wait_for()
    assert "Nguyễn Văn An" in page.locator("#rx-facts").inner_text()
    rows = page.locator("#rx-lines tbody tr")
    assert rows.count() == 2 and "21" in rows.nth(0).inner_text()
    assert page.evaluate("document.activeElement.id") == "rx-fill"
    page.keyboard.press("Enter")  # fill the cart with the remaining quantities

    page.locator('#cart-lines tr[data-line="1"]').wait_for()
    assert "Omeprazol 20mg" in page.locator("#cart-lines").inner_text()
    page.locator("#rx-state.ok").filter(has_text=ORDINARY_CODE).wait_for()
    page.keyboard.press("F9")
    page.locator("#pay-dialog[open]").wait_for()
    page.press("#pay-tendered", "Enter")
    page.wait_for_url("**/receipt?from=counter")
    receipt = page.locator("#receipt-rx").inner_text()
    assert ORDINARY_CODE in receipt and "Nguyễn Văn An" in receipt and "BS. Trần Minh Đức" in receipt
    number = page.locator("#receipt h2 + p strong").inner_text()

    page.goto(f"{live_server}/prescriptions/book")
    book = page.locator("#rx-book").inner_text()
    assert number in book and ORDINARY_CODE in book and "Amoxicillin 500mg" in book and "21 Viên" in book


def test_unreachable_system_lets_the_pharmacist_record_the_code_by_hand(page, live_server, rx_shop, erx):
    from connectors.sandboxes.kit import FAULT_503

    erx.simulator.faults.push(FAULT_503)
    sign_in(page, live_server, "ds1")
    page.goto(f"{live_server}/counter")
    page.type("#scan", "amoxicillin")
    page.press("#scan", "Enter")
    page.locator("#results-dialog[open]").wait_for()
    page.keyboard.press("Enter")
    page.locator('#cart-lines tr[data-line="0"]').wait_for()
    page.keyboard.press("F7")
    page.type("#rx-code", ORDINARY_CODE)
    page.press("#rx-code", "Enter")
    page.locator("#rx-lookup-status.error").wait_for()
    assert page.evaluate("document.activeElement.id") == "rx-doctor"
    page.type("#rx-doctor", "BS. Trần Minh Đức")
    page.fill("#rx-facility", "Bệnh viện Nhân dân 115")
    page.fill("#rx-patient", "Nguyễn Văn An")
    page.fill("#rx-date", "2026-11-20")
    page.press("#rx-date", "Enter")
    page.keyboard.press("F9")
    page.locator("#pay-dialog[open]").wait_for()
    page.press("#pay-tendered", "Enter")
    page.wait_for_url("**/receipt?from=counter")
    assert ORDINARY_CODE in page.locator("#receipt-rx").inner_text()


def test_differences_from_the_national_record_read_in_vietnamese_at_768_and_1920(page, live_server, rx_shop,
                                                                                 erx_faults):
    """A prescription typed by hand while the national system was down, looked up again: its differences name the
    field (Bệnh nhân, Thuốc) and say a drug given that the record does not list, with no raw key, at both widths."""
    from connectors.sandboxes.kit import FAULT_503
    from pharmacy.clock import local_today

    erx_faults.push(FAULT_503, count=20)
    by_hand = {"national_code": ORDINARY_CODE, "doctor_name": "BS. Trần Minh Đức", "patient_name": "Nguyễn Văn Ân",
               "facility_name": "Bệnh viện Nhân dân 115", "issued_on": local_today().isoformat()}
    sold = rx_shop["api"].post("/api/v1/sales", json={"store_id": rx_shop["store"], "prescription": by_hand, "lines": [
        {"product_id": rx_shop["products"]["amox"], "unit": "Viên", "quantity": 21},
        {"product_id": rx_shop["products"]["amlo"], "unit": "Viên", "quantity": 2}]})
    assert sold.status_code == 201, sold.json
    erx_faults.clear()
    prescription_id = sold.json["prescription"]["id"]
    assert rx_shop["api"].post(f"/api/v1/prescriptions/{prescription_id}/recheck").status_code == 200
    sign_in(page, live_server, "ds1")
    for width in (768, 1920):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server}/prescriptions/{prescription_id}")
        table = page.locator("#rx-differences").inner_text()
        assert "Bệnh nhân" in table and "Nguyễn Văn An" in table
        assert "Amlodipin 5mg" in table and "Không có trong đơn" in table
        assert not any(word in page.inner_text("main") for word in (
            "patient_name", "product", "None", "null", "undefined", "national"))
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
