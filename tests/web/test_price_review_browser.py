"""The price-list review page in Chromium: the import's unmatched rows, one matched by choosing the product (the
receipt form then proposes its price), one by scanning a barcode, one dismissed; a bad choice is named."""
from __future__ import annotations

import io

from tests.suppliers.test_price_lists import sheet

from .conftest import PARA_BOX, sign_in


def test_the_owner_reviews_unmatched_price_list_rows(page, live_server, counter_shop, books):
    owner = books.api("owner")
    supplier = owner.post("/api/v1/suppliers", json={"name": "Công ty Dược Hậu Giang"}).json
    data = sheet([["ma_thuoc", "ten_thuoc", "don_vi_tinh", "don_gia"],
                  ["TQG-LA-1", "Paracetamol 500mg", "Hộp", 39000],
                  ["TQG-LA-2", "Para 500 hộp 100 viên", "", 38500],
                  ["TQG-LA-3", "Kem đánh răng", "Tuýp", 20000]])
    uploaded = owner.client.post(f"/api/v1/suppliers/{supplier['id']}/price-list", headers=owner.headers,
                                 data={"file": (io.BytesIO(data), "bang-gia.xlsx")},
                                 content_type="multipart/form-data")
    assert uploaded.status_code == 200 and len(uploaded.json["unmatched"]) == 3

    sign_in(page, live_server, "owner")
    page.goto(f"{live_server}/suppliers/price-review")
    rows = page.locator("#review-rows tbody tr")
    assert rows.count() == 3 and "Công ty Dược Hậu Giang" in rows.first.inner_text()

    first = rows.filter(has_text="TQG-LA-1")
    first.locator('select[name="choice"]').select_option(label="Paracetamol 500mg · Hộp")
    first.get_by_role("button", name="Lưu giá").click()
    page.locator(".flash, [role=status]").filter(has_text="Đã lưu giá").first.wait_for()
    assert page.locator("#review-rows tbody tr").count() == 2

    second = page.locator("#review-rows tbody tr").filter(has_text="TQG-LA-2")
    second.locator('input[name="code"]').fill("893-unknown")
    second.get_by_role("button", name="Lưu giá").click()
    page.locator('[data-field="code"]').filter(has_text="Không có sản phẩm").wait_for()
    second = page.locator("#review-rows tbody tr").filter(has_text="TQG-LA-2")
    second.locator('input[name="code"]').fill(PARA_BOX)  # the box's barcode: Paracetamol in Hộp
    second.locator('input[name="unit_price"]').fill("38.000")
    second.get_by_role("button", name="Lưu giá").click()
    page.locator(".flash, [role=status]").filter(has_text="Đã lưu giá").first.wait_for()

    page.locator("#review-rows tbody tr").filter(has_text="TQG-LA-3").get_by_role("button", name="Bỏ qua").click()
    page.locator("#review-rows").filter(has_text="Không có dòng nào cần xử lý.").wait_for()

    para = owner.get("/api/v1/products?q=paracetamol").json["items"][0]["id"]
    last = owner.get("/api/v1/receipts/last-price", query_string={
        "product_id": para, "unit": "Hộp", "supplier_id": supplier["id"]}).json
    assert (last["unit_price"], last["source"]) == (38000, "price_list")  # the later of the two matches
    assert owner.get("/api/v1/supplier-price-rows", query_string={"status": "matched"}).json["total"] == 2
