"""Counter search ranking: exact and prefix name matches, then ingredient matches; among equals what the store has
in stock, then its best sellers; every result carries the store's sellable stock on hand (base units)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest


@pytest.fixture
def pharmacy(books, shop):
    """`shop` has Paracetamol 500mg in stock; add three more paracetamol products with different stock and sales."""
    today = date.today()
    ids = {
        "decolgen": books.product("Decolgen Forte", active_ingredient="Paracetamol, Phenylephrine"),
        "hapacol": books.product("Hapacol 250", active_ingredient="Paracetamol"),
        "panadol": books.product("Panadol Extra", active_ingredient="Paracetamol, Cafein"),
        "old": books.product("Efferalgan 500", active_ingredient="Paracetamol"),
    }
    books.receive(shop["store"], ids["hapacol"], "H1", today + timedelta(days=300), 40)
    books.receive(shop["store"], ids["panadol"], "P1", today + timedelta(days=300), 60)
    books.receive(shop["store"], ids["old"], "E1", today - timedelta(days=2), 90)  # expired: not on hand
    for _ in range(3):
        response = shop["pharmacist"].post("/api/v1/sales", json={
            "store_id": shop["store"], "lines": [{"product_id": ids["panadol"], "unit": "Viên", "quantity": 1}]})
        assert response.status_code == 201, response.json
    return {**shop, **ids}


def test_para_ranks_name_matches_then_in_stock_best_sellers_then_the_rest(pharmacy):
    response = pharmacy["pharmacist"].get(f"/api/v1/scan?code=para&store_id={pharmacy['store']}")
    assert response.status_code == 200, response.json
    results = [(r["name"], r["on_hand"]) for r in response.json["results"]]
    assert results == [
        ("Paracetamol 500mg", 120),     # name starts with the query (the expired lot OLD is not on hand)
        ("Panadol Extra", 57),          # ingredient matches in stock: the store's best seller first
        ("Hapacol 250", 40),
        ("Decolgen Forte", 0),          # out of stock
        ("Efferalgan 500", 0),          # only an expired lot: out of stock
    ]


def test_products_search_for_a_store_carries_on_hand_and_checks_access(pharmacy, books):
    api = pharmacy["pharmacist"]
    body = api.get(f"/api/v1/products?q=hapa&store_id={pharmacy['store']}").json["items"]
    assert [(p["name"], p["on_hand"]) for p in body] == [("Hapacol 250", 40)]
    assert api.get("/api/v1/products?q=hapa").json["items"][0].get("on_hand") is None  # no store named
    other = books.store("CH02")
    assert api.get(f"/api/v1/products?q=hapa&store_id={other}").status_code == 403
    assert "store_id" in api.get("/api/v1/products?q=hapa&store_id=abc").json["errors"]


def test_exact_name_beats_prefix_and_national_code_hits_carry_on_hand(pharmacy, books):
    books.product("Para", active_ingredient="Paracetamol")
    api = pharmacy["pharmacist"]
    names = [r["name"] for r in api.get(f"/api/v1/scan?code=para&store_id={pharmacy['store']}").json["results"]]
    assert names[:2] == ["Para", "Paracetamol 500mg"]
    coded = api.get(f"/api/v1/scan?code=TQG900001&store_id={pharmacy['store']}").json["results"]
    assert [(r["name"], r["on_hand"]) for r in coded] == [("Paracetamol 500mg", 120)]
