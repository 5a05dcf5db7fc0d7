"""The goods receipt form in Chromium: a known supplier, its invoice, on credit, and the last price proposed."""
from __future__ import annotations

from datetime import date, timedelta

from .conftest import sign_in
from .test_backoffice_browser import add_receipt_line


def test_the_receipt_form_proposes_the_last_price_and_records_credit(page, live_server, counter_shop, books):
    owner = books.api("owner")
    supplier = owner.post("/api/v1/suppliers", json={"name": "Công ty Dược Hậu Giang", "tax_code": "1800156801"}).json
    para = owner.get("/api/v1/products?q=paracetamol").json["items"][0]["id"]
    expiry = (date.today() + timedelta(days=700)).isoformat()
    first = owner.post("/api/v1/receipts", json={"store_id": counter_shop_store(owner), "kind": "supplier",
                                                 "supplier_id": supplier["id"], "lines": [
        {"product_id": para, "unit": "Hộp", "quantity": 1, "lot": "P-OLD", "expiry": expiry, "unit_price": 41000}]})
    assert first.status_code == 201, first.json

    sign_in(page, live_server, "ds1")
    page.goto(f"{live_server}/receipts/new")
    page.select_option('[name="kind"]', "supplier")
    page.select_option('[name="supplier_id"]', str(supplier["id"]))
    page.fill('[name="supplier_invoice_number"]', "0004567")
    page.fill('[name="supplier_invoice_date"]', date.today().isoformat())
    page.check('[name="on_credit"]')
    add_receipt_line(page, "paracetamol", "P-NEW")
    row = page.locator("#receipt-lines tbody tr").last
    row.locator("select").select_option("Hộp")
    page.wait_for_function(
        "document.querySelector('#receipt-lines tbody tr [name=\"unit_price\"]').value === '41000'")
    page.keyboard.press("F9")
    page.wait_for_function("document.querySelector('#receipt-lines tbody').children.length === 0")

    saved = owner.get("/api/v1/receipts").json["items"][0]
    assert (saved["supplier_id"], saved["supplier_name"], saved["supplier_invoice_number"], saved["on_credit"],
            saved["total"]) == (supplier["id"], "Công ty Dược Hậu Giang", "0004567", True, 5 * 41000)
    debt = owner.get("/api/v1/supplier-debts").json["items"][0]
    assert debt["balance"] == 5 * 41000


def counter_shop_store(api) -> int:
    return api.get("/api/v1/stores").json["items"][0]["id"]
