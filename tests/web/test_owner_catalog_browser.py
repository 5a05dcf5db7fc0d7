"""Chromium: one click on a rebalancing suggestion prepares the transfer (its store, destination, product, lot and
quantity filled in) and dispatches it; the owner files a product under a new category and filters by it; a store
price set on its page is what that store's counter charges."""
from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from .conftest import sign_in


def test_a_rebalancing_suggestion_becomes_a_transfer_in_one_click(app, books, live_server, page):
    slow, fast = books.store("CH01"), books.store("CH02")
    books.user("owner", role="owner")
    books.user("ds_fast", stores=[fast])
    product = books.product("Amoxicillin 500mg", national_code="TQG300001")
    books.receive(slow, product, "SOON", date.today() + timedelta(days=20), 100)
    books.receive(fast, product, "LATER", date.today() + timedelta(days=400), 100)
    sold = books.api("ds_fast").post("/api/v1/sales", json={
        "store_id": fast, "lines": [{"product_id": product, "unit": "Viên", "quantity": 30}]})
    assert sold.status_code == 201, sold.json
    expected = books.api("owner").get("/api/v1/reports/rebalancing").json["suggestions"]
    assert [(s["lot"], s["from_store_id"], s["to_store_id"]) for s in expected] == [("SOON", slow, fast)]

    sign_in(page, live_server, "owner")
    page.goto(f"{live_server}/reports?kind=rebalancing")
    page.click("#report-table a.prepare-transfer")
    page.wait_for_url(re.compile(r".*/transfers/new\?.*"))
    assert "Amoxicillin 500mg" in page.inner_text("#transfer-lines")
    line = page.locator("#transfer-lines tbody tr")
    assert line.count() == 1
    assert line.locator("[name=quantity]").input_value() == str(expected[0]["quantity"])
    assert line.locator("[name=lot]").input_value() == "SOON"
    assert line.locator("select").input_value() == "Viên"
    assert page.locator("select[name=to_store_id]").input_value() == str(fast)
    assert "Nhà thuốc CH01" in page.inner_text("h1")
    page.keyboard.press("F9")
    page.wait_for_url(re.compile(r".*/transfers/\d+$"))
    assert "Đang vận chuyển" in page.inner_text("#transfer-status")

    from pharmacy.extensions import db
    from pharmacy.models import StockLot, Transfer

    with app.app_context():
        transfer = db.session.execute(select(Transfer)).scalar_one()
        assert (transfer.from_store_id, transfer.to_store_id) == (slow, fast)
        left = db.session.execute(select(StockLot.quantity).where(StockLot.store_id == slow,
                                                                  StockLot.lot == "SOON")).scalar_one()
    assert left == 100 - expected[0]["quantity"]


def test_owner_files_products_under_a_category_and_filters_by_it(books, live_server, page):
    store = books.store("CH01")
    books.user("owner", role="owner")
    books.user("ds1", stores=[store])
    mask = books.product("Khẩu trang y tế", active_ingredient="", national_code="TQG300002")
    books.product("Paracetamol 500mg", national_code="TQG300003")
    books.receive(store, mask, "K1", date.today() + timedelta(days=300), 50)

    sign_in(page, live_server, "owner")
    page.goto(f"{live_server}/categories")
    assert page.locator("h1").inner_text() == "Nhóm hàng"
    page.fill("#category-new input[name=name]", "Vật tư y tế")
    page.click("#category-new button[type=submit]")
    page.wait_for_selector("text=Đã tạo nhóm hàng Vật tư y tế.")

    page.goto(f"{live_server}/products/{mask}")
    page.select_option("#product-category", label="Vật tư y tế")
    page.click("#product-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/products/\d+\?saved=1$"))

    page.goto(f"{live_server}/products/")
    page.select_option("#category-filter", label="Vật tư y tế")
    page.click("form.filters button[type=submit]")
    listed = page.inner_text("#products-table")
    assert "Khẩu trang y tế" in listed and "Paracetamol 500mg" not in listed and "Vật tư y tế" in listed

    page.goto(f"{live_server}/stock/across")
    page.select_option("#category-filter", label="Vật tư y tế")
    page.click("#across-search button[type=submit]")
    matrix = page.inner_text("#matrix-table")
    assert "Khẩu trang y tế" in matrix and "50" in matrix and "Paracetamol" not in matrix

    page.goto(f"{live_server}/admin/prices?store_id={store}")
    page.select_option("#category-filter", label="Vật tư y tế")
    page.click("#prices-search button[type=submit]")
    page.fill('#prices-table tr[data-unit="Khẩu trang y tế · Viên"] input[name=price]', "900")
    page.click("#save-prices")
    page.wait_for_selector("text=Đã lưu giá của cửa hàng CH01.")
    preview = books.api("ds1").post("/api/v1/counter/preview", json={
        "store_id": store, "lines": [{"product_id": mask, "unit": "Viên", "quantity": 2}]}).json
    assert preview["lines"][0]["unit_price"] == 900 and preview["total"] == 1800
