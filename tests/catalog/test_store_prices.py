"""Per-store prices: a store's own price of a unit overrides the chain price at its counter and in its sales;
other stores keep the chain price. Only the owner sets them; a bad item writes nothing."""
from __future__ import annotations

from datetime import date, timedelta

import pytest


@pytest.fixture
def two_stores(books):
    a, b = books.store("CH01"), books.store("CH02")
    books.user("owner", role="owner")
    books.user("ds_a", stores=[a])
    books.user("ds_b", stores=[b])
    product = books.product("Paracetamol 500mg", national_code="TQG100001")
    expiry = date.today() + timedelta(days=400)
    books.receive(a, product, "LA", expiry, 500)
    books.receive(b, product, "LB", expiry, 500)
    return a, b, product


def test_a_sale_in_store_a_uses_its_own_price_and_store_b_the_chain_price(books, two_stores):
    a, b, product = two_stores
    owner = books.api("owner")
    saved = owner.put(f"/api/v1/stores/{a}/prices",
                      json={"items": [{"product_id": product, "unit": "Vỉ", "price": 4500}]})
    assert saved.status_code == 200, saved.json
    assert saved.json == {"store_id": a, "overrides": 1}

    lines = [{"product_id": product, "unit": "Vỉ", "quantity": 2}, {"product_id": product, "unit": "Viên",
                                                                    "quantity": 3}]
    in_a = books.api("ds_a").post("/api/v1/sales", json={"store_id": a, "lines": lines})
    in_b = books.api("ds_b").post("/api/v1/sales", json={"store_id": b, "lines": lines})
    assert in_a.status_code == 201 and in_b.status_code == 201, (in_a.json, in_b.json)
    assert [line["unit_price"] for line in in_a.json["lines"]] == [4500, 500]
    assert in_a.json["total"] == 2 * 4500 + 3 * 500
    assert [line["unit_price"] for line in in_b.json["lines"]] == [5000, 500]
    assert in_b.json["total"] == 2 * 5000 + 3 * 500


def test_the_counter_preview_shows_the_store_price(books, two_stores):
    a, b, product = two_stores
    books.api("owner").put(f"/api/v1/stores/{a}/prices",
                           json={"items": [{"product_id": product, "unit": "Hộp", "price": 45000}]})
    cart = {"lines": [{"product_id": product, "unit": "Hộp", "quantity": 1}]}
    here = books.api("ds_a").post("/api/v1/counter/preview", json={"store_id": a, **cart}).json
    there = books.api("ds_b").post("/api/v1/counter/preview", json={"store_id": b, **cart}).json
    assert here["lines"][0]["unit_price"] == 45000 and here["total"] == 45000
    assert {u["name"]: u["price"] for u in here["lines"][0]["units"]} == {"Viên": 500, "Vỉ": 5000, "Hộp": 45000}
    assert there["lines"][0]["unit_price"] == 48000 and there["total"] == 48000


def test_prices_list_paginated_and_removed_with_null(books, two_stores):
    a, b, product = two_stores
    owner = books.api("owner")
    owner.put(f"/api/v1/stores/{a}/prices", json={"items": [
        {"product_id": product, "unit": "Vỉ", "price": 4500}, {"product_id": product, "unit": "Hộp", "price": 0}]})
    listed = owner.get(f"/api/v1/stores/{a}/prices?per_page=1").json
    assert listed["total"] == 2 and listed["per_page"] == 1 and len(listed["items"]) == 1
    assert listed["items"][0] == {"product_id": product, "product_name": "Paracetamol 500mg", "unit": "Vỉ",
                                  "factor": 10, "chain_price": 5000, "price": 4500}
    assert books.api("ds_a").get(f"/api/v1/stores/{a}/prices").json["total"] == 2
    assert books.api("ds_b").get(f"/api/v1/stores/{a}/prices").status_code == 403
    removed = owner.put(f"/api/v1/stores/{a}/prices", json={"items": [{"product_id": product, "unit": "Hộp",
                                                                       "price": None}]})
    assert removed.json["overrides"] == 1
    assert owner.get(f"/api/v1/stores/{b}/prices").json["total"] == 0


@pytest.mark.parametrize(("item", "field"), [
    ({"product_id": 999999, "unit": "Vỉ", "price": 1}, "items[1].product_id"),
    ({"unit": "Thùng", "price": 1}, "items[1].unit"),
    ({"unit": "Vỉ", "price": -1}, "items[1].price"),
    ({"unit": "Vỉ", "price": "12"}, "items[1].price"),
])
def test_a_bad_item_names_its_field_and_writes_nothing(books, two_stores, item, field):
    a, _b, product = two_stores
    owner = books.api("owner")
    body = {"items": [{"product_id": product, "unit": "Viên", "price": 450}, {"product_id": product, **item}]}
    response = owner.put(f"/api/v1/stores/{a}/prices", json=body)
    assert response.status_code == 422, response.json
    assert field in str(response.json["errors"]), response.json
    assert owner.get(f"/api/v1/stores/{a}/prices").json["total"] == 0


def test_only_the_owner_sets_prices(books, two_stores):
    a, _b, product = two_stores
    response = books.api("ds_a").put(f"/api/v1/stores/{a}/prices",
                                     json={"items": [{"product_id": product, "unit": "Vỉ", "price": 1}]})
    assert response.status_code == 403


def test_the_counter_search_for_a_store_shows_its_prices(books, two_stores):
    a, b, product = two_stores
    books.api("owner").put(f"/api/v1/stores/{a}/prices",
                           json={"items": [{"product_id": product, "unit": "Vỉ", "price": 4500}]})
    api = books.api("owner")
    here = api.get("/api/v1/products", query_string={"q": "para", "store_id": a}).json["items"][0]
    there = api.get("/api/v1/products", query_string={"q": "para", "store_id": b}).json["items"][0]
    chain_wide = api.get("/api/v1/products", query_string={"q": "para"}).json["items"][0]
    assert {u["name"]: u["price"] for u in here["units"]} == {"Viên": 500, "Vỉ": 4500, "Hộp": 48000}
    assert {u["name"]: u["price"] for u in there["units"]} == {"Viên": 500, "Vỉ": 5000, "Hộp": 48000}
    assert chain_wide["units"] == there["units"] and here["on_hand"] == 500


def test_units_already_read_in_the_transaction_still_get_the_stores_price(app, books, two_stores):
    """The store's price is read with the cart's units (not a column): units the session holds from an earlier
    read, which did not carry it, are refreshed by the checkout's read, then by a read for the other store."""
    from sqlalchemy import select

    from pharmacy.catalog.models import ProductUnit
    from pharmacy.catalog.queries import products_with_units
    from pharmacy.catalog.store_prices import loaded_store_prices
    from pharmacy.extensions import db

    a, b, product = two_stores
    books.api("owner").put(f"/api/v1/stores/{a}/prices",
                           json={"items": [{"product_id": product, "unit": "Vỉ", "price": 4500}]})
    with app.app_context():
        units = db.session.scalars(select(ProductUnit).where(ProductUnit.product_id == product)).all()
        assert {unit.store_price for unit in units} == {None}
        blister = next(unit for unit in units if unit.name == "Vỉ")
        in_a = products_with_units(db.session, [product], store_id=a)[product].units
        assert loaded_store_prices(in_a) == {blister.id: 4500} and blister.store_price == 4500
        in_b = products_with_units(db.session, [product], store_id=b)[product].units
        assert loaded_store_prices(in_b) == {} and blister.store_price is None
        in_a = products_with_units(db.session, [product], store_id=a)[product].units
        db.session.expire_all()  # a unit read with its store price, refreshed later (after a commit, say)
        assert blister.name == "Vỉ" and blister.store_price is None
        db.session.rollback()
