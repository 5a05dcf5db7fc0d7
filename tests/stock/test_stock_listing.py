"""GET /api/v1/stock pages by product (each with its lots) in the one pagination scheme; owners get per-store
summaries from GET /api/v1/stock/summary; a page costs the same few statements however many lots there are."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date, timedelta

from sqlalchemy import event


@contextmanager
def counted(app):
    from pharmacy.extensions import db

    seen: list[str] = []
    with app.app_context():
        engine = db.engine

    def count(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _products(books, store, count, lots_each):
    today = date.today()
    ids = []
    for n in range(count):
        product = books.product(f"Thuốc {n:02d}", national_code=f"TQG8000{n:02d}")
        for k in range(lots_each):
            books.receive(store, product, f"L{n}-{k}", today + timedelta(days=40 + 200 * k), 10 + k)
        ids.append(product)
    return ids


def test_stock_pages_by_product_with_lots_under_each(books, shop):
    api, store = shop["pharmacist"], shop["store"]
    _products(books, store, 3, 2)
    first = api.get(f"/api/v1/stock?store_id={store}&per_page=2").json
    assert (first["total"], first["page"], first["per_page"]) == (4, 1, 2)
    assert [item["product_name"] for item in first["items"]] == ["Paracetamol 500mg", "Thuốc 00"]
    assert [(lot["lot"], lot["quantity"]) for lot in first["items"][1]["lots"]] == [("L0-0", 10), ("L0-1", 11)]
    assert first["items"][1]["on_hand"] == 21 and first["items"][1]["base_unit"] == "Viên"
    last = api.get(f"/api/v1/stock?store_id={store}&per_page=2&page=2").json
    assert [item["product_name"] for item in last["items"]] == ["Thuốc 01", "Thuốc 02"]
    assert api.get(f"/api/v1/stock?store_id={store}&per_page=2&page=3").json["items"] == []
    assert [i["product_name"] for i in api.get(f"/api/v1/stock?store_id={store}&q=thuoc 02").json["items"]] == [
        "Thuốc 02"]


def test_stock_pagination_out_of_range_is_422_naming_the_field(shop):
    api = shop["pharmacist"]
    for query, name in (("per_page=201", "per_page"), ("per_page=0", "per_page"), ("page=0", "page"),
                        ("page=x", "page"), ("expired=maybe", "expired")):
        response = api.get(f"/api/v1/stock?{query}")
        assert response.status_code == 422 and name in response.json["errors"], (query, response.json)


def test_a_stock_page_costs_the_same_statements_with_ten_times_the_lots(app, books, shop):
    api, store = shop["pharmacist"], shop["store"]
    _products(books, store, 2, 1)
    with counted(app) as few:
        assert api.get(f"/api/v1/stock?store_id={store}").status_code == 200
    more = [books.product(f"Siro {n}", national_code=f"TQG7000{n:02d}") for n in range(2)]
    today = date.today()
    for product in more:
        for k in range(10):
            books.receive(store, product, f"S{product}-{k}", today + timedelta(days=100 + k), 5)
    with counted(app) as many:
        body = api.get(f"/api/v1/stock?store_id={store}").json
    assert sum(len(item["lots"]) for item in body["items"]) >= 25
    assert len(many) == len(few), (few, many)


def test_owner_summary_per_store_and_pharmacist_sees_only_theirs(books, shop):
    owner, store = shop["owner"], shop["store"]
    other = books.store("CH02")
    today = date.today()
    books.receive(other, shop["product"], "X1", today + timedelta(days=10), 7)
    owner.put("/api/v1/stock/minimums", json={"store_id": other, "product_id": shop["product"], "min_quantity": 50})
    rows = {row["store_code"]: row for row in owner.get("/api/v1/stock/summary").json}
    assert rows["CH01"] == {"store_id": store, "store_code": "CH01", "store_name": "Nhà thuốc CH01", "products": 1,
                            "lots": 3, "units_on_hand": 170, "expired_lots": 1, "near_expiry_lots": 1,
                            "below_minimum": 0}
    assert (rows["CH02"]["lots"], rows["CH02"]["units_on_hand"], rows["CH02"]["near_expiry_lots"],
            rows["CH02"]["below_minimum"]) == (1, 7, 1, 1)
    assert [row["store_code"] for row in shop["pharmacist"].get("/api/v1/stock/summary").json] == ["CH01"]
    assert shop["pharmacist"].get(f"/api/v1/stock/summary?store_id={other}").status_code == 403
