"""The owner's suppliers page: add a supplier, see the balance and ageing, pay, import a price list for review."""
from __future__ import annotations

import io

from tests.web.test_backoffice_pages import signed_in

from .test_price_lists import sheet


def test_the_owner_adds_pays_and_imports_from_the_page(shop, app):
    client = signed_in(app, "owner")
    page = client.get("/suppliers").get_data(as_text=True)
    assert "Nhà cung cấp" in page and 'href="/suppliers"' in page
    added = client.post("/suppliers", data={"csrf_token": client.csrf, "action": "add", "name": "Phano",
                                            "tax_code": "0301234567"})
    assert added.status_code == 302
    supplier = shop["owner"].get("/api/v1/suppliers").json["items"][0]
    lines = [{"product_id": shop["product"], "unit": "Hộp", "quantity": 2, "lot": "N1",
              "expiry": "2099-01-01", "unit_price": 40000}]
    assert shop["owner"].post("/api/v1/receipts", json={"store_id": shop["store"], "kind": "supplier",
                                                        "supplier_id": supplier["id"], "on_credit": True,
                                                        "lines": lines}).status_code == 201
    assert "80.000" in client.get("/suppliers").get_data(as_text=True)
    too_much = client.post("/suppliers", data={"csrf_token": client.csrf, "action": "pay",
                                               "supplier_id": supplier["id"], "amount": "90.000"})
    assert too_much.status_code == 422 and 'data-field="amount"' in too_much.get_data(as_text=True)
    paid = client.post("/suppliers", data={"csrf_token": client.csrf, "action": "pay",
                                           "supplier_id": supplier["id"], "amount": "30.000", "note": "CK"})
    assert paid.status_code == 302
    assert "50.000" in client.get("/suppliers").get_data(as_text=True)

    data = sheet([["national_code", "unit", "price"], ["TQG900001", "Hộp", 39000], ["NOPE", "Hộp", 1]])
    imported = client.post(f"/suppliers/{supplier['id']}/price-list", content_type="multipart/form-data",
                           data={"csrf_token": client.csrf, "file": (io.BytesIO(data), "gia.xlsx")})
    text = imported.get_data(as_text=True)
    assert imported.status_code == 200 and "1 dòng khớp" in text and "không có sản phẩm mang mã này" in text


def test_pharmacists_do_not_see_the_suppliers_page(shop, app):
    client = signed_in(app, "ds1")
    assert client.get("/suppliers").status_code == 403
    assert 'href="/suppliers"' not in client.get("/shifts").get_data(as_text=True)
