"""Product categories (nhóm hàng): CRUD with one paging scheme, a product's category, the import column, and the
category as a filter of the product list, the store matrix and the reports (checked on the hand-computed chain)."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from ..reports.conftest import chain  # noqa: F401 - the hand-computed two-store history

PERIOD = {"date_from": "2026-11-10", "date_to": "2026-11-11"}


@pytest.fixture
def supplies(chain):  # noqa: F811
    """Category "Vật tư y tế" holding the masks (Q) only."""
    owner = chain["owner"]
    made = owner.post("/api/v1/categories", json={"name": "Vật tư y tế"})
    assert made.status_code == 201, made.json
    changed = owner.patch(f"/api/v1/products/{chain['q']}", json={"category_id": made.json["id"]})
    assert changed.status_code == 200 and changed.json["category_name"] == "Vật tư y tế", changed.json
    return {**chain, "category": made.json["id"]}


def test_categories_crud_and_paging(books):
    books.user("owner", role="owner")
    store = books.store("CH01")
    books.user("ds1", stores=[store])
    owner, pharmacist = books.api("owner"), books.api("ds1")
    for name in ("Giảm đau", "Vitamin", "Kháng sinh"):
        assert owner.post("/api/v1/categories", json={"name": name}).status_code == 201
    page = owner.get("/api/v1/categories?per_page=2").json
    assert page["total"] == 3 and page["per_page"] == 2 and [c["name"] for c in page["items"]] == [
        "Giảm đau", "Kháng sinh"]
    assert pharmacist.get("/api/v1/categories?q=vita").json["items"][0]["product_count"] == 0
    duplicate = owner.post("/api/v1/categories", json={"name": "  giảm   ĐAU "})
    assert duplicate.status_code == 409 and "name" in duplicate.json["errors"]
    assert owner.post("/api/v1/categories", json={"name": ""}).status_code == 422
    assert owner.post("/api/v1/categories", json={"name": "x\u0000y"}).status_code == 422
    assert pharmacist.post("/api/v1/categories", json={"name": "Khác"}).status_code == 403
    vitamin = next(c for c in owner.get("/api/v1/categories").json["items"] if c["name"] == "Vitamin")
    renamed = owner.patch(f"/api/v1/categories/{vitamin['id']}", json={"name": "Vitamin và khoáng chất"})
    assert renamed.status_code == 200 and renamed.json["name"] == "Vitamin và khoáng chất"
    product = books.product("Vitamin C 500mg")
    assert owner.patch(f"/api/v1/products/{product}", json={"category_id": vitamin["id"]}).status_code == 200
    assert owner.get(f"/api/v1/categories/{vitamin['id']}").json["product_count"] == 1
    assert owner.client.delete(f"/api/v1/categories/{vitamin['id']}", headers=owner.headers).status_code == 204
    assert owner.get(f"/api/v1/products/{product}").json["category_id"] is None
    assert owner.get(f"/api/v1/categories/{vitamin['id']}").status_code == 404
    unknown = owner.patch(f"/api/v1/products/{product}", json={"category_id": 999999})
    assert unknown.status_code == 404 and "category_id" in unknown.json["errors"]


def test_product_list_filters_by_category(supplies):
    api = supplies["ds_a"]
    listed = api.get("/api/v1/products", query_string={"category_id": supplies["category"]}).json
    assert [p["name"] for p in listed["items"]] == ["Khẩu trang y tế"] and listed["total"] == 1
    searched = api.get("/api/v1/products", query_string={"q": "para", "category_id": supplies["category"]}).json
    assert searched["items"] == []


def test_import_sets_a_category_by_name_and_makes_new_ones(app, books):
    from pharmacy.catalog.importer import COLUMNS, import_catalog
    from pharmacy.catalog.models import Category, Product
    from pharmacy.extensions import db

    header = ",".join(COLUMNS) + ",category\n"
    row = "TQG777001,Hapacol 500,Paracetamol,500mg,Viên nén,Uống,VD-1,DHG,Việt Nam,0,Viên,Vỉ:10,,500,,{}\n"
    with app.app_context():
        import_catalog(db.session, io.StringIO(header + row.format("Giảm đau")))
        db.session.commit()
        product = db.session.query(Product).filter_by(national_code="TQG777001").one()
        assert product.category.name == "Giảm đau"
        import_catalog(db.session, io.StringIO(header + row.format("GIẢM ĐAU")))  # the same category
        assert db.session.query(Category).count() == 1
        from pharmacy.errors import Invalid
        with pytest.raises(Invalid) as bad:
            import_catalog(db.session, io.StringIO(header + row.format("x" * 101)))
        assert "line 2.category" in bad.value.errors
        db.session.rollback()
        import_catalog(db.session, io.StringIO(",".join(COLUMNS) + "\n" + row.rsplit(",", 1)[0] + "\n"))
        assert db.session.query(Product).filter_by(national_code="TQG777001").one().category.name == "Giảm đau"


def test_reports_and_matrix_filter_by_category(supplies):
    api, category = supplies["owner"], supplies["category"]
    sales = api.get("/api/v1/reports/sales", query_string={**PERIOD, "group_by": "product",
                                                            "category_id": category}).json
    assert [(r["label"], r["quantity"], r["revenue"], r["cost"]) for r in sales["rows"]] == [
        ("Khẩu trang y tế", 10, 15000, 10000)]
    assert sales["totals"]["revenue"] == 15000 and sales["totals"]["sales_count"] == 1
    by_day = api.get("/api/v1/reports/sales", query_string={**PERIOD, "group_by": "day",
                                                             "category_id": category}).json
    assert [(r["key"], r["revenue"], r["sales_count"]) for r in by_day["rows"]] == [("2026-11-10", 15000, 1)]
    xnt = api.get("/api/v1/reports/stock-movements", query_string={**PERIOD, "store_id": supplies["a"],
                                                                    "category_id": category}).json
    assert [(r["lot"], r["opening"], r["sold"], r["issued"], r["closing"]) for r in xnt["rows"]] == [
        ("Q1", 200, 10, 5, 185)]
    matrix = api.get("/api/v1/stock/matrix", query_string={"category_id": category}).json
    assert [(r["name"], r["total"]) for r in matrix["rows"]] == [("Khẩu trang y tế", 185)]
    assert api.get("/api/v1/stock/matrix", query_string={"q": "para", "category_id": category}).json["rows"] == []
    slow = api.get("/api/v1/reports/slow-movers", query_string={"days": 1, "category_id": category}).json
    assert {r["product_name"] for r in slow["rows"]} <= {"Khẩu trang y tế"}
    unknown = api.get("/api/v1/reports/sales", query_string={**PERIOD, "group_by": "day", "category_id": 99999})
    assert unknown.status_code == 404 and "category_id" in unknown.json["errors"]
    xlsx = api.get("/api/v1/reports/sales", query_string={**PERIOD, "group_by": "product", "category_id": category,
                                                           "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(xlsx.data)).active.iter_rows(values_only=True))
    assert rows[1][0] == "Khẩu trang y tế" and len(rows) == 3


def test_dashboard_top_products_filter_by_category(app, supplies):
    from datetime import date

    from pharmacy.extensions import db
    from pharmacy.reports.dashboard import top_products
    from pharmacy.reports.period import Period
    from pharmacy.stores.models import Store

    with app.app_context():
        stores = list(db.session.query(Store).order_by(Store.code))
        period = Period(date(2026, 11, 10), date(2026, 11, 11))
        assert {p["name"] for p in top_products(db.session, period, stores)} == {
            "Paracetamol 500mg", "Khẩu trang y tế"}
        assert [p["name"] for p in top_products(db.session, period, stores, category_id=supplies["category"])] == [
            "Khẩu trang y tế"]
