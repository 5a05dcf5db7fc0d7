"""Customers: phones in every Vietnamese mobile format are one customer; sales carry the name to the national
invoice; the customer's history shows what, when and which lot, and what they spent."""
from __future__ import annotations

import pytest

from pharmacy.customers.phones import normalize_phone
from pharmacy.errors import Invalid


@pytest.mark.parametrize("typed", ["0912345678", "+84912345678", "84912345678", "0912.345.678", "+84 912 345 678",
                                   "091-234-5678", " 0912 345 678 "])
def test_mobile_formats_normalise_to_one_number(typed):
    assert normalize_phone(typed) == "0912345678"


@pytest.mark.parametrize("typed", ["", "12345", "0212345678", "091234567", "09123456789", "+1 912 345 678",
                                   "0912abc678"])
def test_anything_else_is_refused_naming_the_field(typed):
    with pytest.raises(Invalid) as caught:
        normalize_phone(typed)
    assert "phone" in caught.value.errors


def test_create_find_by_phone_in_any_format_and_change(shop):
    api = shop["pharmacist"]
    created = api.post("/api/v1/customers", json={"phone": "+84 912.345.678", "name": "Nguyễn Văn An",
                                                   "birth_year": 1980, "allergies": "Penicillin"})
    assert created.status_code == 201, created.json
    assert created.json["phone"] == "0912345678" and created.json["total_spent"] == 0
    found = api.get("/api/v1/customers", query_string={"phone": "84912345678"}).json
    assert found["total"] == 1 and found["items"][0]["id"] == created.json["id"]
    assert found["page"] == 1 and found["per_page"] == 50
    assert api.get("/api/v1/customers", query_string={"phone": "0987654321"}).json["total"] == 0
    assert api.get("/api/v1/customers", query_string={"q": "văn an"}).json["total"] == 1
    assert api.get("/api/v1/customers", query_string={"q": "345 678"}).json["total"] == 1
    changed = api.patch(f"/api/v1/customers/{created.json['id']}", json={"address": "12 Hàng Bài"})
    assert changed.status_code == 200 and changed.json["address"] == "12 Hàng Bài"
    assert changed.json["name"] == "Nguyễn Văn An"


def test_a_phone_already_known_is_a_conflict_naming_the_customer(shop):
    api = shop["pharmacist"]
    first = api.post("/api/v1/customers", json={"phone": "0912345678", "name": "An"}).json
    again = api.post("/api/v1/customers", json={"phone": "+84912345678", "name": "Bình"})
    assert again.status_code == 409 and "phone" in again.json["errors"]
    other = api.post("/api/v1/customers", json={"phone": "0987654321", "name": "Bình"}).json
    clash = api.patch(f"/api/v1/customers/{other['id']}", json={"phone": "0912 345 678"})
    assert clash.status_code == 409 and "phone" in clash.json["errors"]
    assert api.get(f"/api/v1/customers/{first['id']}").json["name"] == "An"


@pytest.mark.parametrize("body, field", [
    ({"phone": "12345", "name": "An"}, "phone"),
    ({"phone": "0912345678"}, "name"),
    ({"phone": "0912345678", "name": "An", "birth_year": 1800}, "birth_year"),
    ({"phone": "0912345678", "name": "An", "birth_year": "1980"}, "birth_year"),
])
def test_bad_input_is_a_422_naming_the_field_and_writes_nothing(shop, body, field):
    api = shop["pharmacist"]
    response = api.post("/api/v1/customers", json=body)
    assert response.status_code == 422 and field in response.json["errors"], response.json
    assert api.get("/api/v1/customers").json["total"] == 0
    assert api.get("/api/v1/customers", query_string={"phone": "abc"}).status_code == 422


def test_a_sale_for_a_customer_carries_the_name_and_shows_in_the_history(shop, app):
    api = shop["pharmacist"]
    customer = api.post("/api/v1/customers", json={"phone": "0912345678", "name": "Trần Thị Bình"}).json
    sale = api.post("/api/v1/sales", json={"store_id": shop["store"], "customer_id": customer["id"], "lines": [
        {"product_id": shop["product"], "unit": "Viên", "quantity": 3}]})
    assert sale.status_code == 201, sale.json
    assert sale.json["customer_name"] == "Trần Thị Bình" and sale.json["customer_id"] == customer["id"]
    other = api.post("/api/v1/sales", json={"store_id": shop["store"], "customer_id": customer["id"], "lines": [
        {"product_id": shop["product"], "unit": "Vỉ", "quantity": 1}]}).json
    api.post(f"/api/v1/sales/{other['id']}/void", json={"reason": "Khách đổi ý"})
    history = api.get(f"/api/v1/customers/{customer['id']}/purchases").json
    assert history["total"] == 2
    first = history["items"][1]
    assert first["sale_id"] == sale.json["id"] and first["status"] == "completed"
    assert first["lines"][0]["allocations"][0]["lot"] == "SOON" and first["lines"][0]["quantity"] == 3
    assert history["items"][0]["status"] == "voided"
    assert api.get(f"/api/v1/customers/{customer['id']}").json["total_spent"] == 1500

    from connectors.nationaldb.payloads import invoice_payload
    from connectors.sync.snapshots import facility_for, sale_doc
    from pharmacy.extensions import db
    from pharmacy.sales.models import Sale

    with app.app_context():
        sold = db.session.get(Sale, sale.json["id"])
        payload = invoice_payload(sale_doc(db.session, sold, facility_for(sold_store(db.session, sold))).doc)
    assert payload["ho_ten_khach_hang"] == "Trần Thị Bình"


def sold_store(session, sale):
    from pharmacy.stores.models import Store

    return session.get(Store, sale.store_id)


def test_an_unknown_customer_is_refused_and_sells_nothing(shop):
    api = shop["pharmacist"]
    response = api.post("/api/v1/sales", json={"store_id": shop["store"], "customer_id": 999, "lines": [
        {"product_id": shop["product"], "unit": "Viên", "quantity": 3}]})
    assert response.status_code == 404 and "customer_id" in response.json["errors"]
    assert api.get("/api/v1/sales").json["total"] == 0


def test_customer_pages_show_history_lots_and_total_in_vietnamese(shop, books, app):
    api = shop["pharmacist"]
    customer = api.post("/api/v1/customers", json={"phone": "0912345678", "name": "Phạm Văn Cường",
                                                   "allergies": "Aspirin"}).json
    api.post("/api/v1/sales", json={"store_id": shop["store"], "customer_id": customer["id"], "lines": [
        {"product_id": shop["product"], "unit": "Viên", "quantity": 4}]})
    from tests.security.conftest import signed_in

    client = signed_in(app, "ds1")
    listing = client.get("/customers?q=0912").get_data(as_text=True)
    assert "Phạm Văn Cường" in listing and "Khách hàng" in listing
    page = client.get(f"/customers/{customer['id']}").get_data(as_text=True)
    assert "Lịch sử mua hàng" in page and "SOON" in page and "Aspirin" in page
    assert "2.000" in page  # total spent: 4 × 500
    assert client.get("/customers/999").status_code == 404
