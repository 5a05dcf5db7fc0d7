"""Every list endpoint pages the same way: page/per_page in, {items, total, page, per_page} out, 422 out of range."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

LISTS = ["/api/v1/products", "/api/v1/stores", "/api/v1/users", "/api/v1/sales", "/api/v1/receipts",
         "/api/v1/issues", "/api/v1/returns", "/api/v1/prescriptions", "/api/v1/sync/messages"]


@pytest.mark.parametrize("path", LISTS)
def test_every_list_answers_one_page_shape(shop, path):
    body = shop["owner"].get(path).json
    assert set(body) == {"items", "total", "page", "per_page"}, body
    assert (body["page"], body["per_page"]) == (1, 50)
    assert body["total"] >= len(body["items"])


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("field, value", [("page", "0"), ("page", str(10**20)), ("per_page", "0"),
                                          ("per_page", "201"), ("per_page", "abc"), ("page", "1.5")])
def test_out_of_range_paging_is_422_naming_the_field(shop, path, field, value):
    response = shop["owner"].get(path, query_string={field: value})
    assert response.status_code == 422, response.json
    assert field in response.json["errors"] and response.json["code"] == 422


def test_owner_pages_through_the_catalogue(books, shop):
    for index in range(7):
        books.product(f"Thuốc thử {index:02}", national_code=f"TQG8000{index:02}")
    api = shop["owner"]
    first = api.get("/api/v1/products?per_page=3").json
    third = api.get("/api/v1/products?per_page=3&page=3").json
    beyond = api.get("/api/v1/products?per_page=3&page=9").json
    assert first["total"] == third["total"] == 8
    assert len(first["items"]) == 3 and len(third["items"]) == 2 and beyond["items"] == []
    every = [p["id"] for page in (1, 2, 3) for p in api.get(f"/api/v1/products?per_page=3&page={page}").json["items"]]
    assert len(set(every)) == 8


def test_inactive_products_are_listed_for_owners_only_on_request(books, shop):
    hidden = books.product("Thuốc chưa có giá", national_code="TQG777777", active=False)
    owner, pharmacist = shop["owner"], shop["pharmacist"]
    assert hidden not in [p["id"] for p in owner.get("/api/v1/products").json["items"]]
    assert owner.get("/api/v1/products?national_code=TQG777777").json["total"] == 0
    found = owner.get("/api/v1/products?national_code=TQG777777&include_inactive=true").json
    assert [p["id"] for p in found["items"]] == [hidden] and found["items"][0]["active"] is False
    searched = owner.get("/api/v1/products", query_string={"q": "chua co gia", "include_inactive": "true"}).json
    assert [p["id"] for p in searched["items"]] == [hidden]
    assert pharmacist.get("/api/v1/products?include_inactive=true").status_code == 403


def test_receipts_honour_the_date_filter(app, books, shop):
    """10.20: GET /receipts ignored date_from/date_to; one list query now serves every document type."""
    api = shop["owner"]
    today = date.today()
    all_receipts = api.get("/api/v1/receipts").json
    assert all_receipts["total"] == 3
    tomorrow = (today + timedelta(days=2)).isoformat()
    for path in ("/api/v1/receipts", "/api/v1/sales", "/api/v1/issues", "/api/v1/returns", "/api/v1/prescriptions"):
        later = api.get(path, query_string={"date_from": tomorrow}).json
        assert later["total"] == 0 and later["items"] == [], path
    yesterday = (today - timedelta(days=2)).isoformat()
    assert api.get("/api/v1/receipts", query_string={"date_to": yesterday}).json["total"] == 0
    assert api.get("/api/v1/receipts", query_string={"date_from": yesterday, "per_page": 2}).json["total"] == 3


@pytest.mark.parametrize("query, field", [({"date_from": "0001-01-01"}, "date_from"),
                                          ({"date_to": "9999-12-31"}, "date_to"),
                                          ({"date_from": "2026-05-02", "date_to": "2026-05-01"}, "date_to")])
@pytest.mark.parametrize("path", ["/api/v1/sales", "/api/v1/receipts", "/api/v1/prescriptions"])
def test_extreme_dates_are_422_naming_the_field(shop, path, query, field):
    response = shop["owner"].get(path, query_string=query)
    assert response.status_code == 422 and field in response.json["errors"], response.json
