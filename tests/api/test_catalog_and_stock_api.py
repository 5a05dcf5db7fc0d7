"""Products (units, barcodes, search), receipts and the stock view."""
from __future__ import annotations

from datetime import date, timedelta

import pytest


@pytest.fixture
def catalogue(app, books):
    from pharmacy.catalog.importer import import_catalog
    from pharmacy.demo import CATALOG_PATH
    from pharmacy.extensions import db

    with app.app_context(), CATALOG_PATH.open(encoding="utf-8") as stream:
        import_catalog(db.session, stream)
        db.session.commit()
    store = books.store("CH01")
    books.user("owner", role="owner")
    return {"store": store, "api": books.api("owner")}


@pytest.mark.parametrize("query, expected", [
    ("para", "Hapacol 500"),
    ("thuoc ho", "Thuốc ho bổ phế Nam Hà"),
    ("amox 500", "Amoxicillin 500mg"),
    ("AMOXICILLIN", "Amoxicillin 500mg"),
    ("dau gio", "Dầu gió xanh Con Ó"),
    ("TQG000030", "Thuốc ho bổ phế Nam Hà"),
    ("hoat huyet duong nao", "Hoạt huyết dưỡng não"),
])
def test_search_without_diacritics(catalogue, query, expected):
    found = catalogue["api"].get("/api/v1/products", query_string={"q": query}).json["items"]
    names = [product["name"] for product in found]
    assert expected in names


def test_barcode_and_national_code_lookups(catalogue):
    api = catalogue["api"]
    by_barcode = api.get("/api/v1/products?barcode=8931000000016").json["items"]
    assert [p["national_code"] for p in by_barcode] == ["TQG000001"]
    units = {unit["name"]: unit for unit in by_barcode[0]["units"]}
    assert units["Hộp"] == {"name": "Hộp", "factor": 100, "price": 50000, "barcodes": ["8931000000016"],
                            "is_base": False}
    assert units["Viên"]["factor"] == 1 and units["Viên"]["is_base"]
    assert by_barcode[0]["base_unit"] == "Viên"
    assert api.get("/api/v1/products?national_code=TQG000005").json["items"][0]["prescription_only"] is True
    assert api.get("/api/v1/products?barcode=0000000000000").json["items"] == []


def test_non_drug_goods_are_marked(catalogue):
    mask = catalogue["api"].get("/api/v1/products?national_code=TQG000056").json["items"][0]
    assert mask["is_drug"] is False


def test_create_and_edit_product_units_and_barcodes(catalogue):
    api = catalogue["api"]
    created = api.post("/api/v1/products", json={
        "name": "Siro Ích Nhi", "active_ingredient": "Cao lá húng chanh", "strength": "90ml",
        "units": [{"name": "Chai", "factor": 1, "price": 32000, "barcodes": ["8936000000011"]},
                  {"name": "Thùng", "factor": 24, "price": 720000}]})
    assert created.status_code == 201, created.json
    pid = created.json["id"]
    assert [p["id"] for p in api.get("/api/v1/products?q=siro ich nhi").json["items"]] == [pid]
    edited = api.patch(f"/api/v1/products/{pid}", json={
        "prescription_only": True,
        "units": [{"name": "Chai", "factor": 1, "price": 33000, "barcodes": ["8936000000028"]}]})
    assert edited.status_code == 200
    assert edited.json["units"] == [{"name": "Chai", "factor": 1, "price": 33000, "barcodes": ["8936000000028"],
                                     "is_base": True}]
    assert api.get("/api/v1/products?barcode=8936000000011").json["items"] == []
    stolen = api.patch(f"/api/v1/products/{pid}", json={
        "units": [{"name": "Chai", "factor": 1, "price": 1, "barcodes": ["8931000000016"]}]})
    assert stolen.status_code == 409


def test_receipt_converts_units_to_base_and_numbers_per_store(catalogue):
    api, store = catalogue["api"], catalogue["store"]
    hapacol = api.get("/api/v1/products?national_code=TQG000001").json["items"][0]["id"]
    expiry = (date.today() + timedelta(days=500)).isoformat()
    body = {"store_id": store, "kind": "supplier", "supplier_name": "Công ty CP Dược Hậu Giang",
            "lines": [{"product_id": hapacol, "unit": "Hộp", "quantity": 3, "lot": "HG2611", "expiry": expiry,
                       "manufactured": (date.today() - timedelta(days=30)).isoformat(), "unit_price": 42000}]}
    first = api.post("/api/v1/receipts", json=body)
    assert first.status_code == 201 and first.json["number"] == "PN-CH01-000001"
    assert first.json["lines"][0]["base_quantity"] == 300
    assert api.post("/api/v1/receipts", json=body).json["number"] == "PN-CH01-000002"
    stock = api.get(f"/api/v1/stock?store_id={store}&product_id={hapacol}").json
    assert stock["total"] == 1 and (stock["page"], stock["per_page"]) == (1, 50)
    item = stock["items"][0]
    lot_id = item["lots"][0]["id"]
    assert item == {"store_id": store, "product_id": hapacol, "product_name": "Hapacol 500", "base_unit": "Viên",
                    "on_hand": 600, "sellable": 600, "min_quantity": 0, "below_minimum": False, "expired_lots": 0,
                    "near_expiry_lots": 0, "quarantined": 0,
                    "lots": [{"id": lot_id, "lot": "HG2611", "expiry": expiry, "quantity": 600, "expired": False,
                              "near_expiry": False, "state": "sellable"}]}


def test_stock_filters_expiring_and_below_minimum(shop):
    api, store, product = shop["owner"], shop["store"], shop["product"]
    [soon] = api.get(f"/api/v1/stock?store_id={store}&expiring_within_days=60").json["items"]
    assert [(lot["lot"], lot["expired"], lot["near_expiry"]) for lot in soon["lots"]] == [
        ("OLD", True, False), ("SOON", False, True)]
    assert soon["on_hand"] == 170 and soon["sellable"] == 120  # the whole stock, whatever the filter picks
    [expired] = api.get(f"/api/v1/stock?store_id={store}&expired=true").json["items"]
    assert [lot["lot"] for lot in expired["lots"]] == ["OLD"] and expired["on_hand"] == 170
    assert api.get(f"/api/v1/stock?store_id={store}&below_minimum=true").json["items"] == []
    assert api.put("/api/v1/stock/minimums", json={"store_id": store, "product_id": product,
                                                   "min_quantity": 500}).status_code == 200
    [below] = api.get(f"/api/v1/stock?store_id={store}&below_minimum=true").json["items"]
    assert {lot["lot"] for lot in below["lots"]} == {"OLD", "SOON", "LATE"}
    assert (below["min_quantity"], below["below_minimum"]) == (500, True)


def test_openapi_spec_and_docs_are_served(app):
    client = app.test_client()
    spec = client.get("/api/openapi.json").json
    for path in ("/api/v1/auth/token", "/api/v1/sales", "/api/v1/receipts", "/api/v1/stock", "/api/v1/products"):
        assert path in spec["paths"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200 and b"/static/vendor/swagger-ui/" in docs.data
    bundle = client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js")
    assert bundle.status_code == 200
    bundle.close()


def test_product_with_nothing_on_hand_shows_below_its_minimum(books, shop):
    api, store = shop["owner"], shop["store"]
    empty = books.product("Vitamin C 500mg", national_code="TQG900025", active_ingredient="Acid ascorbic")
    api.put("/api/v1/stock/minimums", json={"store_id": store, "product_id": empty, "min_quantity": 100})
    rows = api.get(f"/api/v1/stock?store_id={store}&below_minimum=true").json["items"]
    assert rows == [{"store_id": store, "product_id": empty, "product_name": "Vitamin C 500mg", "base_unit": "Viên",
                     "on_hand": 0, "sellable": 0, "min_quantity": 100, "below_minimum": True, "expired_lots": 0,
                     "near_expiry_lots": 0, "quarantined": 0, "lots": []}]
