"""Unusual input is a 4xx in the one error shape on both databases, nothing written; pages answer HTML errors."""
from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy import func, select

from pharmacy.api.guards import json_depth_exceeds
from tests.web.test_backoffice_pages import signed_in


def one_shape(response, status: int, field: str | None = None):
    body = response.get_json()
    assert response.status_code == status, body
    assert set(body) <= {"code", "message", "errors", "available", "offline", "returnable", "remaining", "reason", "gtin", "lot",
                                "expiry"}, body
    assert body["code"] == status and body["message"] and isinstance(body["errors"], dict)
    if field:
        assert field in body["errors"], body
    return body


def count(app, model):
    from pharmacy.extensions import db

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("text", ["Cty\x00 Dược", "\ud800", "ab\udfffcd"])
def test_nul_and_lone_surrogates_are_422_naming_the_field(app, shop, text):
    from pharmacy.models import Receipt, Sale

    before = count(app, Receipt)
    body = {"store_id": shop["store"], "customer_name": text,
            "lines": [{"product_id": shop["product"], "unit": "Viên", "quantity": 1}]}
    one_shape(shop["owner"].post("/api/v1/sales", json=body), 422, "customer_name")
    line = {"product_id": shop["product"], "unit": text, "quantity": 1, "lot": "A1", "expiry": "2030-01-01",
            "unit_price": 1}
    one_shape(shop["owner"].post("/api/v1/receipts", json={"store_id": shop["store"], "kind": "supplier",
                                                             "supplier_name": "NCC", "lines": [line]}),
              422, "lines[0].unit")
    one_shape(shop["owner"].patch(f"/api/v1/stores/{shop['store']}", json={"name": text}), 422, "name")
    if "\x00" in text:  # a query string cannot carry a lone surrogate (it is percent-encoded UTF-8)
        one_shape(shop["owner"].get("/api/v1/products", query_string={"national_code": text}), 422, "national_code")
    assert count(app, Sale) == 0 and count(app, Receipt) == before


def test_deeply_nested_json_is_refused_before_parsing_without_a_traceback(app, shop, caplog):
    caplog.set_level(logging.DEBUG)
    deep = "[" * 600 + "]" * 600
    for headers in ({}, shop["owner"].headers):
        response = shop["owner"].client.post("/api/v1/auth/token" if not headers else "/api/v1/sales",
                                             data=deep, content_type="application/json", headers=headers)
        one_shape(response, 400, "body")
    assert "Traceback" not in caplog.text


def test_json_depth_scan_ignores_brackets_in_strings():
    assert not json_depth_exceeds(b'{"a": "' + b"[" * 100 + b'", "b": [[1]]}')
    assert not json_depth_exceeds(b'{"a": "\\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}')
    assert json_depth_exceeds(b'{"a":' * 40 + b"1" + b"}" * 40)


def test_whole_number_floats_are_integers_fractions_are_not(app, shop):
    line = {"product_id": float(shop["product"]), "unit": "Viên", "quantity": 2.0}
    sold = shop["owner"].post("/api/v1/sales", json={"store_id": shop["store"], "lines": [line],
                                                       "amount_tendered": 1000.0})
    assert sold.status_code == 201, sold.json
    assert sold.json["lines"][0]["quantity"] == 2 and sold.json["amount_tendered"] == 1000
    half = {"store_id": shop["store"], "lines": [{**line, "quantity": 1.5}]}
    one_shape(shop["owner"].post("/api/v1/sales", json=half), 422, "lines[0].quantity")
    one_shape(shop["owner"].post("/api/v1/sales", json={**half, "lines": [{**line, "quantity": True}]}),
              422, "lines[0].quantity")


def test_method_not_allowed_names_the_allowed_methods(shop):
    response = shop["owner"].put("/api/v1/sales")
    one_shape(response, 405)
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}


@pytest.mark.parametrize("path", ["/api/v1/stores/{store}", "/api/v1/products/{product}"])
def test_patch_without_a_body_is_422(shop, path):
    url = path.format(store=shop["store"], product=shop["product"])
    one_shape(shop["owner"].client.patch(url, headers=shop["owner"].headers), 422, "body")
    one_shape(shop["owner"].patch(url, json={}), 422, "body")


def test_huge_ids_and_pages_are_4xx(shop):
    api = shop["owner"]
    one_shape(api.get("/api/v1/sales", query_string={"page": 10**20}), 422, "page")
    one_shape(api.get("/api/v1/sales", query_string={"store_id": 99999999999}), 422, "store_id")
    one_shape(api.get("/api/v1/sales/99999999999"), 404)


def test_pages_answer_html_errors_for_extreme_filters(app, shop):
    client = signed_in(app, "owner")
    for url in ("/sales?date_from=0001-01-01", "/sales?date_to=9999-12-31", "/sales?seller_id=99999999999",
                "/prescriptions/book?date_from=0001-01-01", "/prescriptions/book?date_to=9999-12-31"):
        response = client.get(url)
        assert 400 <= response.status_code < 500, (url, response.status_code)
        assert response.mimetype == "text/html", url
    assert client.get("/sync?sent=" + "9" * 30).status_code == 200
    assert client.get("/nowhere").mimetype == "text/html"


def test_dates_inside_error_details_are_iso_8601(shop):
    body = {"store_id": shop["store"], "lines": [{"product_id": shop["product"], "unit": "Viên", "quantity": 99999}]}
    refused = shop["owner"].post("/api/v1/sales", json=body)
    assert refused.status_code == 409 and refused.json["available"], refused.json
    for lot in refused.json["available"]:
        assert re.match(r"^\d{4}-\d{2}-\d{2}$", lot["expiry"]), lot


def test_pages_refuse_nul_in_any_form_or_query_value_with_an_html_400(app, shop):
    client = signed_in(app, "owner")
    for response in (client.get("/products/?q=a%00b"), client.get("/sales?date_from=%00"),
                     client.post("/login", data={"username": "own\x00er", "password": "x"})):
        assert response.status_code == 400 and response.mimetype == "text/html"


def test_nul_in_a_path_or_scan_code_is_4xx(shop):
    api = shop["owner"]
    for url in (f"/api/v1/prescriptions/national/79011a3f9k2q%00-c?store_id={shop['store']}",
                f"/api/v1/scan?store_id={shop['store']}&code=89%0031"):
        response = api.get(url)
        assert 400 <= response.status_code < 500, (url, response.json)
        one_shape(response, response.status_code)
