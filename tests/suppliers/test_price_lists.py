"""Supplier price lists from Excel: rows matched by national code, registration number or barcode; the unmatched
come back for review; the receipt form's last price falls back on the list."""
from __future__ import annotations

import io

from openpyxl import Workbook


def sheet(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(api, supplier_id, data: bytes, name="bang-gia.xlsx"):
    return api.client.post(f"/api/v1/suppliers/{supplier_id}/price-list", headers=api.headers,
                           data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def test_a_price_list_matches_by_code_registration_and_barcode(shop, books):
    from pharmacy.catalog.services import UnitSpec

    owner = shop["owner"]
    supplier = owner.post("/api/v1/suppliers", json={"name": "Phano", "tax_code": "0301234567"}).json
    syrup = books.product("Siro ho", national_code="TQG777", registration_no="VD-77-21",
                          units=[UnitSpec("Chai", 1, 42000, ["8934567890128"])])
    data = sheet([
        ["ma_thuoc", "so_dang_ky", "ma_vach", "ten_thuoc", "don_vi_tinh", "don_gia"],
        ["TQG900001", "", "", "Paracetamol 500mg", "Hộp", 39000],
        ["", "", "8934567890128", "Siro ho", "", "36000"],
        ["", "VD-1-23", "", "Paracetamol (SĐK)", "Vỉ", 4100],  # one product has this registration number
        ["TQG-UNKNOWN", "", "", "Thuốc lạ", "Hộp", 1000],
        ["TQG900001", "", "", "Paracetamol", "Thùng", 1000],
        ["TQG900001", "", "", "Paracetamol", "Viên", "giá?"],
    ])
    response = upload(owner, supplier["id"], data)
    assert response.status_code == 200, response.json
    matched = {(m["row"], m["product_id"], m["unit"], m["unit_price"], m["matched_by"])
               for m in response.json["matched"]}
    assert matched == {(2, shop["product"], "Hộp", 39000, "national_code"), (3, syrup, "Chai", 36000, "barcode"),
                       (4, shop["product"], "Vỉ", 4100, "registration_no")}
    assert [(u["row"], u["reason"]) for u in response.json["unmatched"]] == [(5, "no_product"), (6, "unit"),
                                                                               (7, "price")]
    last = owner.get(f"/api/v1/receipts/last-price?product_id={shop['product']}&unit=Hộp"
                     f"&supplier_id={supplier['id']}").json
    assert (last["unit_price"], last["source"], last["supplier_name"]) == (39000, "price_list", "Phano")

    again = upload(owner, supplier["id"], sheet([["national_code", "unit", "price"], ["TQG900001", "Hộp", 40000]]),
                   name="moi.xlsx")
    assert again.status_code == 200
    assert owner.get(f"/api/v1/receipts/last-price?product_id={shop['product']}&unit=Hộp").json["unit_price"] == 40000


def test_a_registration_number_shared_by_two_products_is_left_for_review(shop, books):
    owner = shop["owner"]
    supplier = owner.post("/api/v1/suppliers", json={"name": "Phano"}).json
    books.product("Paracetamol 500mg (hộp 200)", registration_no="VD-1-23")
    response = upload(owner, supplier["id"], sheet([["registration_no", "price"], ["VD-1-23", 100]]))
    assert response.json["unmatched"][0]["reason"] == "ambiguous_registration_no"
    assert response.json["matched"] == []


def test_bad_files_are_refused_naming_the_file(shop):
    owner = shop["owner"]
    supplier = owner.post("/api/v1/suppliers", json={"name": "Phano"}).json
    for data, name in ((b"not a zip", "x.xlsx"), (b"a,b\n1,2\n", "x.csv"), (b"", "x.csv"), (b"x", "x.pdf")):
        response = upload(owner, supplier["id"], data, name)
        assert response.status_code == 422 and "file" in response.json["errors"], (name, response.json)
    missing = owner.client.post(f"/api/v1/suppliers/{supplier['id']}/price-list", headers=owner.headers)
    assert missing.status_code == 422
    assert upload(shop["pharmacist"], supplier["id"], sheet([["national_code", "price"]])).status_code == 403
    assert upload(owner, 999, sheet([["national_code", "price"], ["X", 1]])).status_code == 404
