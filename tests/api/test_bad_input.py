"""Bad input gets a 4xx naming the field and writes nothing; never a 500."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

FUTURE = (date.today() + timedelta(days=365)).isoformat()


def sale(**overrides):
    body = {"store_id": 1, "lines": [{"product_id": 1, "unit": "Viên", "quantity": 1}]}
    body.update(overrides)
    return body


def line(**overrides):
    return sale(lines=[{"product_id": 1, "unit": "Viên", "quantity": 1, **overrides}])


def receipt_line(**overrides):
    base = {"product_id": 1, "unit": "Viên", "quantity": 1, "lot": "A1", "expiry": FUTURE, "unit_price": 100}
    base.update(overrides)
    return {"store_id": 1, "kind": "supplier", "supplier_name": "Công ty Dược Sài Gòn", "lines": [base]}


SALE_CASES = [
    ({}, 422, "store_id"),
    (sale(lines=[]), 422, "lines"),
    (sale(lines="abc"), 422, "lines"),
    (sale(store_id="1"), 422, "store_id"),
    (sale(store_id=999), 404, "store_id"),
    (line(quantity=0), 422, "lines[0].quantity"),
    (line(quantity=-3), 422, "lines[0].quantity"),
    (line(quantity=10**12), 422, "lines[0].quantity"),
    (line(quantity=1.5), 422, "lines[0].quantity"),
    (line(quantity="2"), 422, "lines[0].quantity"),
    (line(quantity=None), 422, "lines[0].quantity"),
    (line(unit="Thùng"), 422, "lines[0].unit"),
    (line(product_id=4242), 422, "lines[0].product_id"),
    (line(lot="NOPE"), 422, "lines[0].lot"),
    (line(colour="red"), 422, "lines[0].colour"),
    (sale(payment_method="bitcoin"), 422, "payment_method"),
    (sale(prescription={"issued_on": "2026-02-30"}), 422, "prescription.issued_on"),
    (sale(amount_tendered=-1), 422, "amount_tendered"),
]


@pytest.mark.parametrize("body, status, field", SALE_CASES)
def test_bad_sales_name_the_field_and_write_nothing(app, shop, body, status, field):
    from pharmacy.extensions import db
    from pharmacy.models import Movement, Sale

    response = shop["owner"].post("/api/v1/sales", json=body)
    assert response.status_code == status, response.json
    assert field in response.json["errors"], response.json
    assert response.json["message"]
    with app.app_context():
        assert db.session.scalar(select(func.count(Sale.id))) == 0
        assert db.session.scalar(select(func.count(Movement.id)).where(Movement.kind == "sale")) == 0


RECEIPT_CASES = [
    (receipt_line(expiry="2027-13-01"), "lines[0].expiry"),
    (receipt_line(expiry="31/12/2027"), "lines[0].expiry"),
    (receipt_line(expiry=(date.today() - timedelta(days=1)).isoformat()), "lines[0].expiry"),
    (receipt_line(manufactured=(date.today() + timedelta(days=2)).isoformat()), "lines[0].manufactured"),
    (receipt_line(lot=""), "lines[0].lot"),
    (receipt_line(lot="x" * 51), "lines[0].lot"),
    (receipt_line(lot="LÔ 1"), "lines[0].lot"),
    (receipt_line(unit_price=-5), "lines[0].unit_price"),
    (receipt_line(unit_price=10**15), "lines[0].unit_price"),
    ({**receipt_line(), "kind": "gift"}, "kind"),
    ({**receipt_line(), "supplier_name": ""}, "supplier_name"),
]


@pytest.mark.parametrize("body, field", RECEIPT_CASES)
def test_bad_receipts_name_the_field_and_write_nothing(app, shop, body, field):
    from pharmacy.extensions import db
    from pharmacy.models import Receipt

    with app.app_context():
        before = db.session.scalar(select(func.count(Receipt.id)))
    response = shop["owner"].post("/api/v1/receipts", json=body)
    assert response.status_code == 422, response.json
    assert field in response.json["errors"], response.json
    with app.app_context():
        assert db.session.scalar(select(func.count(Receipt.id))) == before


def test_malformed_json_and_wrong_content_type(shop):
    client, headers = shop["owner"].client, shop["owner"].headers
    broken = client.post("/api/v1/sales", data="{\"store_id\": 1,", content_type="application/json", headers=headers)
    assert broken.status_code == 400 and broken.json["errors"]
    as_list = shop["owner"].post("/api/v1/sales", json=[1, 2])
    assert as_list.status_code == 422
    form = client.post("/api/v1/sales", data={"store_id": "1"}, headers=headers)
    assert 400 <= form.status_code < 500 and form.json["code"] == form.status_code


def test_oversized_body_is_413(shop):
    big = sale(customer_name="x" * (2 * 1024 * 1024))
    response = shop["owner"].post("/api/v1/sales", json=big)
    assert response.status_code == 413 and response.json["code"] == 413


def test_bad_query_parameters(shop):
    api = shop["owner"]
    assert api.get("/api/v1/stock?store_id=abc").status_code == 422
    assert "expiring_within_days" in api.get("/api/v1/stock?expiring_within_days=-1").json["errors"]
    assert api.get("/api/v1/products?per_page=100000").status_code == 422
    assert api.get("/api/v1/products?q=a&barcode=1").status_code == 422
    assert api.get("/api/v1/sales/999999").status_code == 404
    assert api.get("/api/v1/nowhere").status_code == 404


def test_bad_products(shop):
    api = shop["owner"]
    no_base = api.post("/api/v1/products", json={"name": "X", "units": [{"name": "Hộp", "factor": 10, "price": 1}]})
    assert no_base.status_code == 422 and "units" in no_base.json["errors"]
    twice = api.post("/api/v1/products", json={"name": "X", "units": [
        {"name": "Viên", "factor": 1, "price": 1}, {"name": "viên", "factor": 10, "price": 1}]})
    assert twice.status_code == 422
    taken = api.post("/api/v1/products", json={"name": "X", "national_code": "TQG900001",
                                               "units": [{"name": "Viên", "factor": 1, "price": 1}]})
    assert taken.status_code == 409 and "national_code" in taken.json["errors"]
    bad_factor = api.post("/api/v1/products", json={"name": "X", "units": [{"name": "Viên", "factor": 0, "price": 1}]})
    assert "units[0].factor" in bad_factor.json["errors"]
