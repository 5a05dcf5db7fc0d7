"""The rows of a price list that matched nothing are kept for review: matched by hand (the supplier's price is
set, and the receipt form proposes it) or dismissed; a new import replaces the rows still pending."""
from __future__ import annotations

from .test_price_lists import sheet, upload

HEADER = ["ma_thuoc", "ten_thuoc", "don_vi_tinh", "don_gia"]


def pending(api, **query):
    response = api.get("/api/v1/supplier-price-rows", query_string=query)
    assert response.status_code == 200, response.json
    return response.json


def imported(shop):
    owner = shop["owner"]
    supplier = owner.post("/api/v1/suppliers", json={"name": "Phano"}).json
    response = upload(owner, supplier["id"], sheet([
        HEADER,
        ["TQG900001", "Paracetamol 500mg", "Hộp", 39000],    # matched
        ["TQG-LA", "Paracetamol 500mg (mới)", "Hộp", 38000],  # no product with this code
        ["TQG900001", "Paracetamol", "Thùng", 900000],        # no such unit
        ["TQG900001", "Paracetamol", "Viên", "giá?"],         # no price
        ["TQG-XX", "Khẩu trang", "Hộp", 10 ** 20],            # no product, and no sensible price
    ]))
    assert response.status_code == 200 and len(response.json["unmatched"]) == 4, response.json
    return supplier


def test_unmatched_rows_are_kept_then_matched_or_dismissed(shop):
    owner = shop["owner"]
    supplier = imported(shop)
    page = pending(owner, supplier_id=supplier["id"])
    assert page["total"] == 4 and (page["page"], page["per_page"]) == (1, 50)
    rows = {row["row"]: row for row in page["items"]}
    assert [(r["reason"], r["price"], r["product_id"]) for r in rows.values()] == [
        ("no_product", 38000, None), ("unit", 900000, shop["product"]), ("price", None, shop["product"]),
        ("no_product", None, None)]
    assert rows[3]["supplier_name"] == "Phano" and rows[3]["name"] == "Paracetamol 500mg (mới)"

    matched = owner.post(f"/api/v1/supplier-price-rows/{rows[3]['id']}/match",
                         json={"product_id": shop["product"], "unit": "hộp"})
    assert matched.status_code == 200, matched.json
    assert (matched.json["status"], matched.json["unit_name"], matched.json["price"]) == ("matched", "Hộp", 38000)
    last = owner.get("/api/v1/receipts/last-price", query_string={
        "product_id": shop["product"], "unit": "Hộp", "supplier_id": supplier["id"]}).json
    assert (last["unit_price"], last["source"]) == (38000, "price_list")
    again = owner.post(f"/api/v1/supplier-price-rows/{rows[3]['id']}/match",
                       json={"product_id": shop["product"], "unit": "Hộp"})
    assert again.status_code == 409 and "row_id" in again.json["errors"]

    no_price = owner.post(f"/api/v1/supplier-price-rows/{rows[5]['id']}/match",
                          json={"product_id": shop["product"], "unit": "Viên"})
    assert no_price.status_code == 422 and "unit_price" in no_price.json["errors"]
    priced = owner.post(f"/api/v1/supplier-price-rows/{rows[5]['id']}/match",
                        json={"product_id": shop["product"], "unit": "Viên", "unit_price": 400})
    assert priced.status_code == 200 and priced.json["price"] == 400
    dismissed = owner.post(f"/api/v1/supplier-price-rows/{rows[4]['id']}/dismiss")
    assert dismissed.status_code == 200 and dismissed.json["status"] == "dismissed"
    assert [row["row"] for row in pending(owner)["items"]] == [6]
    assert pending(owner, status="matched")["total"] == 2


def test_bad_review_input_names_the_field_and_changes_nothing(shop):
    owner = shop["owner"]
    supplier = imported(shop)
    row = pending(owner)["items"][0]
    for body, status, field in (({"product_id": 999_999, "unit": "Hộp"}, 404, "product_id"),
                                ({"product_id": shop["product"], "unit": "Thùng"}, 422, "unit"),
                                ({"product_id": shop["product"], "unit": "Hộp", "unit_price": -1}, 422, "unit_price"),
                                ({"unit": "Hộp"}, 422, "product_id")):
        response = owner.post(f"/api/v1/supplier-price-rows/{row['id']}/match", json=body)
        assert response.status_code == status and field in response.json["errors"], (body, response.json)
    assert owner.post("/api/v1/supplier-price-rows/999999/dismiss").status_code == 404
    assert shop["pharmacist"].get("/api/v1/supplier-price-rows").status_code == 403
    assert shop["pharmacist"].post(f"/api/v1/supplier-price-rows/{row['id']}/dismiss").status_code == 403
    assert owner.get("/api/v1/supplier-price-rows", query_string={"status": "lost"}).status_code == 422
    assert owner.get("/api/v1/supplier-price-rows", query_string={"supplier_id": 999}).status_code == 404
    assert pending(owner, supplier_id=supplier["id"])["total"] == 4


def test_a_new_import_replaces_the_rows_still_pending(shop):
    owner = shop["owner"]
    supplier = imported(shop)
    first = pending(owner)["items"][0]
    owner.post(f"/api/v1/supplier-price-rows/{first['id']}/dismiss")
    upload(owner, supplier["id"], sheet([HEADER, ["TQG-MOI", "Thuốc mới", "Hộp", 1000]]), name="moi.xlsx")
    assert [row["national_code"] for row in pending(owner)["items"]] == ["TQG-MOI"]
    assert pending(owner, status="dismissed")["total"] == 1  # the review already done is kept
