"""Pharmacists act only in their stores, owners in all: every endpoint checks it."""
from __future__ import annotations

from datetime import date, timedelta

import pytest


@pytest.fixture
def two_stores(books):
    mine, other = books.store("CH01"), books.store("CH02")
    books.user("owner", role="owner")
    books.user("ds1", stores=[mine])
    product = books.product(national_code="TQG900001")
    for store in (mine, other):
        books.receive(store, product, "L1", date.today() + timedelta(days=300), 100)
    return {"mine": mine, "other": other, "product": product, "owner": books.api("owner"), "ds": books.api("ds1")}


def writes(s, store):
    line = {"product_id": s["product"], "unit": "Viên", "quantity": 1}
    receipt_line = {**line, "lot": "L2", "expiry": (date.today() + timedelta(days=200)).isoformat(), "unit_price": 1}
    return [
        ("post", "/api/v1/sales", {"store_id": store, "lines": [line]}),
        ("post", "/api/v1/receipts", {"store_id": store, "kind": "opening", "lines": [receipt_line]}),
        ("put", "/api/v1/stock/minimums", {"store_id": store, "product_id": s["product"], "min_quantity": 5}),
    ]


def test_pharmacist_writes_in_own_store_but_never_another(two_stores):
    s = two_stores
    for method, path, body in writes(s, s["mine"]):
        assert getattr(s["ds"], method)(path, json=body).status_code in (200, 201), path
    for method, path, body in writes(s, s["other"]):
        response = getattr(s["ds"], method)(path, json=body)
        assert response.status_code == 403, path
        assert response.json["errors"] == {"store_id": [response.json["message"]]}


def test_owner_writes_everywhere(two_stores):
    s = two_stores
    for store in (s["mine"], s["other"]):
        for method, path, body in writes(s, store):
            assert getattr(s["owner"], method)(path, json=body).status_code in (200, 201), path


def test_pharmacist_reads_only_own_store(two_stores):
    s = two_stores
    other_sale = s["owner"].post("/api/v1/sales", json={"store_id": s["other"], "lines": [
        {"product_id": s["product"], "unit": "Viên", "quantity": 1}]}).json["id"]
    assert s["ds"].get(f"/api/v1/sales/{other_sale}").status_code == 404
    assert s["ds"].get(f"/api/v1/sales?store_id={s['other']}").status_code == 403
    assert s["ds"].get(f"/api/v1/receipts?store_id={s['other']}").status_code == 403
    assert s["ds"].get(f"/api/v1/stock?store_id={s['other']}").status_code == 403
    assert {row["store_id"] for row in s["ds"].get("/api/v1/stock").json["items"]} == {s["mine"]}
    assert {sale["store_id"] for sale in s["ds"].get("/api/v1/sales").json["items"]} <= {s["mine"]}
    assert {r["store_id"] for r in s["ds"].get("/api/v1/receipts").json["items"]} == {s["mine"]}


@pytest.mark.parametrize("method, path, body", [
    ("post", "/api/v1/stores", {"code": "CH09", "name": "X"}),
    ("patch", "/api/v1/stores/1", {"name": "X"}),
    ("get", "/api/v1/users", None),
    ("post", "/api/v1/users", {"username": "abc", "password": "12345678", "role": "owner"}),
    ("post", "/api/v1/products", {"name": "X", "units": [{"name": "Viên", "factor": 1, "price": 1}]}),
    ("patch", "/api/v1/products/1", {"name": "X"}),
])
def test_owner_only_endpoints_refuse_pharmacists(two_stores, method, path, body):
    call = getattr(two_stores["ds"], method)
    response = call(path) if body is None else call(path, json=body)
    assert response.status_code == 403
