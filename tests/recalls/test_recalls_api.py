"""Recalls: a decision quarantines its lots in every store in the same request and stops them everywhere (sale,
counter preview, scan, receipt, release), with a Vietnamese message naming the decision number."""
from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

DECISION = "123/QĐ-QLD"


def recall_body(product, lots=("SOON",), level=1, **extra):
    return {"decision_number": DECISION, "decision_date": date.today().isoformat(), "level": level,
            "product_id": product, "lots": list(lots) if lots != "all" else "all", "reason": "Không đạt độ hòa tan",
            **extra}


@pytest.fixture
def chain(books, shop):
    other = books.store("CH02")
    books.receive(other, shop["product"], "SOON", date.today() + timedelta(days=30), 7)
    return {**shop, "other": other}


def test_recall_quarantines_the_lot_in_every_store_at_once(chain):
    owner, product = chain["owner"], chain["product"]
    response = owner.post("/api/v1/recalls", json=recall_body(product))
    assert response.status_code == 201, response.json
    body = response.json
    assert body["deadline"] == (date.today() + timedelta(days=3)).isoformat() and body["lots"] == ["SOON"]
    held = {(row["store_id"], row["state"], row["quantity"]) for row in body["affected_stock"]}
    assert held == {(chain["store"], "quarantine", 20), (chain["other"], "quarantine", 7)}
    stock = owner.get(f"/api/v1/stock?store_id={chain['store']}&product_id={product}").json["items"][0]
    assert stock["quarantined"] == 20


def test_deadlines_per_level(chain):
    owner, product = chain["owner"], chain["product"]
    for level, days, lot in ((2, 15, "LATE"), (3, 30, "OLD")):
        body = owner.post("/api/v1/recalls", json=recall_body(product, lots=[lot], level=level,
                                                               decision_number=f"{level}/QĐ")).json
        assert body["deadline"] == (date.today() + timedelta(days=days)).isoformat()


def test_recalled_lot_is_refused_everywhere_naming_the_decision(chain):
    owner, api, store, product = chain["owner"], chain["pharmacist"], chain["store"], chain["product"]
    owner.post("/api/v1/recalls", json=recall_body(product))
    sale = api.post("/api/v1/sales", json={"store_id": store, "lines": [
        {"product_id": product, "unit": "Viên", "quantity": 1, "lot": "SOON"}]})
    assert sale.status_code == 422 and DECISION in sale.json["errors"]["lines[0].lot"][0]
    preview = api.post("/api/v1/counter/preview", json={"store_id": store, "lines": [
        {"product_id": product, "unit": "Viên", "quantity": 1, "lot": "SOON"}]}).json["lines"][0]
    assert preview["problem"] == "recalled" and DECISION in preview["message"]
    expiry = (date.today() + timedelta(days=30)).isoformat()
    receipt = owner.post("/api/v1/receipts", json={"store_id": store, "kind": "supplier", "supplier_name": "NCC",
                                                   "lines": [{"product_id": product, "unit": "Viên", "quantity": 5,
                                                              "lot": "SOON", "unit_price": 400, "expiry": expiry}]})
    assert receipt.status_code == 422 and DECISION in receipt.json["errors"]["lines[0].lot"][0]
    release = api.post("/api/v1/stock/release", json={"store_id": store, "lines": [
        {"product_id": product, "lot": "SOON", "quantity": 1, "reason": "nhầm"}]})
    assert release.status_code == 422 and DECISION in release.json["message"]
    transfer = owner.post("/api/v1/transfers", json={"from_store_id": store, "to_store_id": chain["other"], "lines": [
        {"product_id": product, "unit": "Viên", "quantity": 1, "lot": "SOON"}]})
    assert transfer.status_code == 422 and DECISION in transfer.json["errors"]["lines[0].lot"][0]
    fefo = api.post("/api/v1/sales", json={"store_id": store, "lines": [
        {"product_id": product, "unit": "Viên", "quantity": 3}]})
    assert fefo.status_code == 201 and fefo.json["lines"][0]["allocations"][0]["lot"] == "LATE"


def test_recall_of_all_lots_refuses_fefo_sales_too(chain):
    owner, api, store, product = chain["owner"], chain["pharmacist"], chain["store"], chain["product"]
    assert owner.post("/api/v1/recalls", json=recall_body(product, lots="all")).status_code == 201
    sale = api.post("/api/v1/sales", json={"store_id": store, "lines": [
        {"product_id": product, "unit": "Viên", "quantity": 1}]})
    assert sale.status_code == 422 and DECISION in sale.json["message"]


def test_affected_sales_list_and_export(chain):
    owner, api, store, product = chain["owner"], chain["pharmacist"], chain["store"], chain["product"]
    sold = api.post("/api/v1/sales", json={"store_id": store, "customer_name": "Nguyễn Văn A", "lines": [
        {"product_id": product, "unit": "Viên", "quantity": 2, "lot": "SOON"}]})
    assert sold.status_code == 201, sold.json
    recall = owner.post("/api/v1/recalls", json=recall_body(product)).json
    (sale,) = recall["affected_sales"]
    assert (sale["sale_id"], sale["number"], sale["store_id"], sale["customer_phone"]) == (
        sold.json["id"], sold.json["number"], store, None)
    assert sale["customer_name"] == "Nguyễn Văn A"
    csv = owner.get(f"/api/v1/recalls/{recall['id']}/sales.csv")
    assert csv.status_code == 200 and sold.json["number"] in csv.data.decode("utf-8")
    assert csv.data.decode("utf-8-sig").splitlines()[0] == \
        "Số hóa đơn,Thời gian,Cửa hàng,Khách hàng,Điện thoại,Bệnh nhân (đơn thuốc),Lô,Số lượng"
    xlsx = owner.get(f"/api/v1/recalls/{recall['id']}/sales.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    assert load_workbook(io.BytesIO(xlsx.data), read_only=True).sheetnames == ["Khách hàng"]
    listed = owner.get("/api/v1/recalls?per_page=1").json
    assert (listed["total"], listed["page"], listed["per_page"]) == (1, 1, 1)


def test_customer_return_of_a_recalled_lot_goes_to_quarantine(chain):
    owner, api, store, product = chain["owner"], chain["pharmacist"], chain["store"], chain["product"]
    sold = api.post("/api/v1/sales", json={"store_id": store, "lines": [
        {"product_id": product, "unit": "Viên", "quantity": 2, "lot": "SOON"}]}).json
    owner.post("/api/v1/recalls", json=recall_body(product))
    back = api.post(f"/api/v1/sales/{sold['id']}/returns", json={"reason": "Thu hồi", "lines": [
        {"sale_line_id": sold["lines"][0]["id"], "unit": "Viên", "quantity": 2}]})
    assert back.status_code == 201, back.json
    stock = owner.get(f"/api/v1/stock?store_id={store}&product_id={product}").json["items"][0]
    assert stock["quarantined"] == 20 and ("SOON", "sellable", 0) not in [
        (lot["lot"], lot["state"], lot["quantity"]) for lot in stock["lots"] if lot["quantity"]]


def test_return_to_supplier_from_the_recall(app, chain):
    owner, store, product = chain["owner"], chain["store"], chain["product"]
    recall = owner.post("/api/v1/recalls", json=recall_body(product)).json
    issue = owner.post(f"/api/v1/recalls/{recall['id']}/return", json={"store_id": store,
                                                                      "receiver_name": "Công ty Dược A"})
    assert issue.status_code == 201, issue.json
    assert issue.json["kind"] == "recall_return" and DECISION in issue.json["note"]
    assert [(line["lot"], line["base_quantity"]) for line in issue.json["lines"]] == [("SOON", 20)]
    again = owner.post(f"/api/v1/recalls/{recall['id']}/return", json={"store_id": store, "receiver_name": "A"})
    assert again.status_code == 422 and "store_id" in again.json["errors"]
    from pharmacy.extensions import db
    from pharmacy.stock.services import ledger_mismatches

    with app.app_context():
        assert ledger_mismatches(db.session) == []


def test_bad_recalls_are_4xx_naming_the_field(chain):
    owner, pharmacist, product = chain["owner"], chain["pharmacist"], chain["product"]
    assert pharmacist.post("/api/v1/recalls", json=recall_body(product)).status_code == 403
    for change, name in (({"level": 4}, "level"), ({"lots": []}, "lots"), ({"lots": "some"}, "lots"),
                         ({"decision_date": "2026-13-01"}, "decision_date"), ({"reason": ""}, "reason"),
                         ({"product_id": None}, "registration_no"), ({"product_id": 999}, "product_id"),
                         ({"decision_date": (date.today() + timedelta(days=2)).isoformat()}, "decision_date")):
        response = owner.post("/api/v1/recalls", json={**recall_body(product), **change})
        assert 400 <= response.status_code < 500 and name in response.json["errors"], (change, response.json)
    assert owner.get("/api/v1/recalls").json["total"] == 0
    assert owner.post("/api/v1/recalls", json=recall_body(product)).status_code == 201
    assert owner.post("/api/v1/recalls", json=recall_body(product)).status_code == 409
    assert owner.get("/api/v1/recalls/999").status_code == 404


def test_recall_by_registration_number_and_csv_import(chain):
    owner, product = chain["owner"], chain["product"]
    by_number = owner.post("/api/v1/recalls", json={**recall_body(None), "product_id": None,
                                                    "registration_no": "VD-1-23"})
    assert by_number.status_code == 201 and by_number.json["product_id"] == product
    csv = ("decision_number,decision_date,level,registration_no,gtin,product_id,lots,reason,source\r\n"
           f"9/QĐ,{date.today():%d/%m/%Y},2,VD-1-23,,,LATE;OLD,Nhiễm tạp,Cục Quản lý Dược\r\n")
    imported = owner.post("/api/v1/recalls/import", data=csv.encode(), content_type="text/csv")
    assert imported.status_code == 201, imported.json
    assert imported.json["items"][0]["lots"] == ["LATE", "OLD"]
    bad = owner.post("/api/v1/recalls/import", content_type="text/csv",
                     data=csv.replace("9/QĐ", "10/QĐ").replace(",2,", ",7,").encode())
    assert bad.status_code == 422 and "rows[0].level" in bad.json["errors"]


def test_scanning_a_recalled_lot_is_refused_naming_the_decision(books, shop):
    product, code = books.boxed_lot(shop["store"], "Cefuroxim 500mg", "893450000099", "CF01", 50)
    api = shop["pharmacist"]
    assert api.get("/api/v1/scan", query_string={"code": code, "store_id": shop["store"]}).status_code == 200
    shop["owner"].post("/api/v1/recalls", json=recall_body(product, lots=["CF01"]))
    refused = api.get("/api/v1/scan", query_string={"code": code, "store_id": shop["store"]})
    assert refused.status_code == 422 and DECISION in refused.json["message"]
    assert (refused.json["reason"], refused.json["decision_number"], refused.json["lot"]) == ("recalled", DECISION,
                                                                                            "CF01")


def test_the_sales_to_contact_carry_the_customer_phone_and_the_prescription_patient(chain):
    owner, api, store, product = chain["owner"], chain["pharmacist"], chain["store"], chain["product"]
    customer = owner.post("/api/v1/customers", json={"phone": "0912 345 678", "name": "Trần Thị Bích"}).json
    known = api.post("/api/v1/sales", json={"store_id": store, "customer_id": customer["id"], "lines": [
        {"product_id": product, "unit": "Viên", "quantity": 2, "lot": "SOON"}]})
    assert known.status_code == 201, known.json
    dispensed = api.post("/api/v1/sales", json={"store_id": store, "lines": [
        {"product_id": product, "unit": "Viên", "quantity": 1, "lot": "SOON"}], "prescription": {
        "doctor_name": "BS. Huy", "facility_name": "PK Tâm Đức", "patient_name": "Lê Văn Tám",
        "issued_on": date.today().isoformat()}})
    assert dispensed.status_code == 201, dispensed.json
    recall = owner.post("/api/v1/recalls", json=recall_body(product)).json
    contacts = {s["number"]: (s["customer_name"], s["customer_phone"], s["patient_name"])
                for s in recall["affected_sales"]}
    assert contacts == {known.json["number"]: ("Trần Thị Bích", "0912345678", None),
                        dispensed.json["number"]: (None, None, "Lê Văn Tám")}
    csv = owner.get(f"/api/v1/recalls/{recall['id']}/sales.csv").data.decode("utf-8")
    assert "0912345678" in csv and "Lê Văn Tám" in csv
