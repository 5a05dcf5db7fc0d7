"""Stock across stores: quantities in the product's units, the matrix for a search, lots per store and filters."""
from __future__ import annotations

import re
from datetime import date

from pharmacy.reports.across import in_units

from .test_owner_pages import signed_in

UNITS = [("Viên", 1), ("Vỉ", 10), ("Hộp", 100)]


def test_quantities_read_in_the_products_units():
    assert in_units(1990, UNITS) == "19 Hộp + 9 Vỉ"
    assert in_units(477, UNITS) == "4 Hộp + 7 Vỉ + 7 Viên"
    assert in_units(7, UNITS) == "7 Viên" and in_units(0, UNITS) == "0 Viên"


def test_search_shows_the_matrix_and_a_product_its_lots_per_store(app, chain):
    client = signed_in(app, "owner")
    html = client.get("/stock/across?q=para").get_data(as_text=True)
    assert 'id="matrix-table"' in html and "Paracetamol 500mg" in html and ">1990<" in html and ">487<" in html
    detail = client.get(f"/stock/across?q=para&product_id={chain['p']}").get_data(as_text=True)
    assert "19 Hộp + 9 Vỉ" in detail and "4 Hộp + 7 Vỉ + 7 Viên" in detail and "L2" in detail


def table(client, url: str) -> str:
    return client.get(url).get_data(as_text=True).split('id="across-table"')[1]


def stores_in(html: str) -> set[int]:
    return {int(n) for n in re.findall(r'data-store-id="(\d+)"', html)}


def test_filters_expired_below_minimum_and_no_stock(app, chain):
    client = signed_in(app, "owner")
    expired = table(client, f"/stock/across?product_id={chain['p']}&show=expired")
    expiries = {"L1": date(2027, 6, 30), "L2": date(2026, 12, 15), "OLD": date(2026, 11, 1)}
    shown = {lot for lot in expiries if f"<td>{lot}</td>" in expired}
    assert shown == {lot for lot, expiry in expiries.items() if expiry < date.today()} and "OLD" in shown
    below = table(client, f"/stock/across?product_id={chain['q']}&show=below_minimum")
    assert stores_in(below) == {chain["a"], chain["b"]}  # 185 < 200 in CH01; none of the 5 in CH02
    zero = table(client, f"/stock/across?product_id={chain['q']}&show=zero")
    assert stores_in(zero) == {chain["b"]}
    assert client.get(f"/stock/across?product_id={chain['q']}&show=nonsense&days=x").status_code == 200


def test_pharmacist_sees_only_their_stores(app, chain):
    html = signed_in(app, "ds_b").get(f"/stock/across?q=para&product_id={chain['p']}").get_data(as_text=True)
    assert "CH01" not in html and stores_in(html.split('id="across-table"')[1]) == {chain["b"]}
