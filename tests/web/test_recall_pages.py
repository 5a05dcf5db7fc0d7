"""Recall pages through the test client: the owner enters a decision, its detail shows the deadline, the quarantined
stock and the sales to contact; return to supplier posts the goods issue; the recall book prints."""
from __future__ import annotations

from datetime import date, timedelta

from .test_backoffice_pages import signed_in


def test_owner_enters_a_recall_and_returns_the_stock_from_its_page(app, shop):
    sold = shop["pharmacist"].post("/api/v1/sales", json={"store_id": shop["store"], "customer_name": "Trần Thị B",
                                                          "lines": [{"product_id": shop["product"], "unit": "Viên",
                                                                     "quantity": 2, "lot": "SOON"}]}).json
    owner = signed_in(app, "owner")
    entered = owner.post("/recalls/", data={
        "csrf_token": owner.csrf, "decision_number": "88/QĐ-QLD", "decision_date": date.today().isoformat(),
        "level": "1", "product_id": str(shop["product"]), "lots": "SOON", "reason": "Không đạt độ hòa tan"})
    assert entered.status_code == 302, entered.get_data(as_text=True)
    detail = owner.get(entered.headers["Location"]).get_data(as_text=True)
    assert "88/QĐ-QLD" in detail and (date.today() + timedelta(days=3)).strftime("%d/%m/%Y") in detail
    assert sold["number"] in detail and "Trần Thị B" in detail
    returned = owner.post(entered.headers["Location"], data={"csrf_token": owner.csrf, "store_id": shop["store"],
                                                              "receiver_name": "Công ty Dược A"})
    assert returned.status_code == 302
    book = owner.get("/recalls/book").get_data(as_text=True)
    assert "88/QĐ-QLD" in book and "Công ty Dược A" in book and "recall-book-page" in book
    assert "88/QĐ-QLD" in owner.get("/recalls/").get_data(as_text=True)


def test_bad_recall_form_shows_the_field_and_writes_nothing(app, shop):
    owner = signed_in(app, "owner")
    page = owner.post("/recalls/", data={"csrf_token": owner.csrf, "decision_number": "1/QĐ",
                                         "decision_date": "x", "level": "1", "product_id": str(shop["product"]),
                                         "lots": "SOON", "reason": "r"})
    assert page.status_code == 200 and "decision_date" in page.get_data(as_text=True)
    assert shop["owner"].get("/api/v1/recalls").json["total"] == 0


def test_pharmacists_see_recalls_but_cannot_enter_one(app, shop):
    client = signed_in(app, "ds1")
    assert client.get("/recalls/").status_code == 200
    assert client.post("/recalls/", data={"csrf_token": client.csrf, "decision_number": "1"}).status_code == 403


def test_the_dashboard_shows_a_running_recall_with_its_deadline(app, shop):
    shop["owner"].post("/api/v1/recalls", json={
        "decision_number": "12/QĐ-QLD", "decision_date": date.today().isoformat(), "level": 2,
        "product_id": shop["product"], "lots": ["SOON"], "reason": "Nhiễm tạp"})
    page = signed_in(app, "owner").get("/dashboard").get_data(as_text=True)
    assert "12/QĐ-QLD" in page and (date.today() + timedelta(days=15)).strftime("%d/%m/%Y") in page


def test_owner_imports_recall_decisions_from_a_csv_file_on_the_page(app, shop):
    import io

    owner = signed_in(app, "owner")
    page = owner.get("/recalls/").get_data(as_text=True)
    assert 'id="recall-import"' in page and "/api/v1" not in page
    today = date.today().isoformat()
    rows = ("decision_number,decision_date,level,product_id,lots,reason\n"
            f"9/QĐ-QLD,{today},2,{shop['product']},SOON;LATE,Không đạt\n")
    bad = owner.post("/recalls/import", data={"csrf_token": owner.csrf, "file": (
        io.BytesIO(rows.replace(",2,", ",7,").encode()), "thu-hoi.csv")}, content_type="multipart/form-data")
    assert bad.status_code == 422 and 'data-field="rows[0].level"' in bad.get_data(as_text=True)
    assert shop["owner"].get("/api/v1/recalls").json["total"] == 0
    done = owner.post("/recalls/import", data={"csrf_token": owner.csrf, "file": (
        io.BytesIO(rows.encode("utf-8-sig")), "thu-hoi.csv")}, content_type="multipart/form-data")
    assert done.status_code == 302
    assert [r["decision_number"] for r in shop["owner"].get("/api/v1/recalls").json["items"]] == ["9/QĐ-QLD"]
    pharmacist = signed_in(app, "ds1")
    assert pharmacist.post("/recalls/import", data={"csrf_token": pharmacist.csrf}).status_code == 403
