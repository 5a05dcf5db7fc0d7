"""The registers over HTTP: entries, 422s naming the field with nothing written, reversals, the books as JSON and
Excel, the logger CSV upload, and the recall register served as a book."""
from __future__ import annotations

import io
from datetime import date, datetime, timedelta

from openpyxl import load_workbook

from pharmacy.clock import LOCAL_TZ, local_today


def _today_query(shop, **extra):
    today = local_today().isoformat()
    return {"store_id": shop["store"], "date_from": today, "date_to": today, **extra}


def _count(shop, name):
    return shop["owner"].get(f"/api/v1/books/{name}", query_string=_today_query(shop)).json["total"]


def test_quality_check_fail_quarantines_and_the_book_shows_it(shop, app):
    api = shop["pharmacist"]
    body = {"store_id": shop["store"], "entry_date": local_today().isoformat(), "product_id": shop["product"],
            "lot": "LATE", "expiry": (date.today() + timedelta(days=400)).isoformat(), "unit": "Viên",
            "quantity_checked": 5, "sensory": "Viên nứt, đổi màu", "conclusion": "fail", "reason": "Ẩm",
            "action": "Biệt trữ, trả nhà cung cấp"}
    bad = api.post("/api/v1/quality-checks", json={**body, "conclusion": "maybe"})
    assert bad.status_code == 422 and "conclusion" in bad.json["errors"]
    assert api.post("/api/v1/quality-checks", json={**body, "action": ""}).json["errors"].keys() == {"action"}
    assert _count(shop, "quality-control") == 0
    created = api.post("/api/v1/quality-checks", json=body)
    assert created.status_code == 201 and created.json["quarantined"] == 100
    with app.app_context():
        from pharmacy.extensions import db
        from pharmacy.stock.quarantine import quarantined_on

        assert quarantined_on(db.session, store_id=shop["store"], product_id=shop["product"], lot="LATE") == 100
    reversal = api.post(f"/api/v1/quality-checks/{created.json['id']}/reversal", json={"reason": "Nhầm lô"})
    assert reversal.status_code == 201 and reversal.json["reverses_id"] == created.json["id"]
    again = api.post(f"/api/v1/quality-checks/{created.json['id']}/reversal", json={"reason": "Lần hai"})
    assert again.status_code == 409
    book = shop["owner"].get("/api/v1/books/quality-control", query_string=_today_query(shop)).json
    assert [(row["conclusion"], row["reversed"], row["reversal"]) for row in book["items"]] == [
        ("Không đạt", True, False), ("Không đạt", False, True)]
    assert book["items"][1]["note"] == f"Đảo dòng #{created.json['id']}: Nhầm lô"


def test_climate_reading_out_of_range_needs_a_note_and_nothing_is_written(shop):
    api = shop["pharmacist"]
    now = datetime.now(LOCAL_TZ).replace(second=0, microsecond=0)
    body = {"store_id": shop["store"], "area": "Kho chính", "read_at": now.isoformat(), "temperature": 31.2,
            "humidity": 70, "device": "Nhiệt ẩm kế TH-01"}
    refused = api.post("/api/v1/climate-readings", json=body)
    assert refused.status_code == 422 and list(refused.json["errors"]) == ["corrective_note"]
    naive = api.post("/api/v1/climate-readings", json={**body, "read_at": now.replace(tzinfo=None).isoformat()})
    assert naive.status_code == 422 and "read_at" in naive.json["errors"]
    assert api.post("/api/v1/climate-readings", json={**body, "temperature": "hot"}).status_code == 422
    created = api.post("/api/v1/climate-readings", json={**body, "corrective_note": "Bật điều hòa"})
    assert created.status_code == 201 and created.json["temperature"] == 31.2
    week = _today_query(shop, date_from=(local_today() - timedelta(days=7)).isoformat())
    rows = shop["owner"].get("/api/v1/books/temperature-humidity", query_string=week).json["items"]
    assert {row["day"] for row in rows} <= {local_today().isoformat()}  # no gaps before the store existed


def test_logger_csv_upload(shop):
    api = shop["pharmacist"]
    now = datetime.now(LOCAL_TZ).replace(tzinfo=None, second=0, microsecond=0)
    first, second = (now - timedelta(minutes=m) for m in (20, 10))  # may be yesterday's: still open before 02:00
    text = f"time,temperature,humidity\n{first:%Y-%m-%d %H:%M},24.0,60\n{second:%Y-%m-%d %H:%M},24.2,61\n"
    form = {"store_id": str(shop["store"]), "area": "Kho chính", "device": "Logger EL-USB-2",
            "file": (io.BytesIO(text.encode()), "logger.csv")}
    answer = api.client.post("/api/v1/climate-readings/import", data=form, headers=api.headers,
                             content_type="multipart/form-data")
    assert answer.status_code == 201 and answer.json == {"imported": 2, "skipped": 0, "out_of_range": 0}
    missing = api.client.post("/api/v1/climate-readings/import", data={"store_id": str(shop["store"])},
                              headers=api.headers, content_type="multipart/form-data")
    assert missing.status_code == 422 and "file" in missing.json["errors"]


def test_complaints_and_adverse_reactions_are_separate_books(shop):
    api = shop["pharmacist"]
    body = {"store_id": shop["store"], "entry_date": local_today().isoformat(), "customer_name": "Chị Lan",
            "customer_phone": "0901234567", "product_id": shop["product"], "lot": "LATE",
            "description": "Nổi mẩn sau 2 giờ uống", "handling": "Ngưng thuốc, khuyên đi khám"}
    assert api.post("/api/v1/complaints", json={**body, "customer_name": ""}).json["errors"].keys() == {
        "customer_name"}
    reaction = api.post("/api/v1/adverse-reactions", json=body).json
    complaint = api.post("/api/v1/complaints", json={**body, "description": "Hộp móp"}).json
    assert api.post(f"/api/v1/complaints/{reaction['id']}/reversal", json={"reason": "x"}).status_code == 404
    assert api.post(f"/api/v1/complaints/{complaint['id']}/reversal", json={}).json["errors"].keys() == {"reason"}
    rows = shop["owner"].get("/api/v1/books/adverse-reactions", query_string=_today_query(shop)).json["items"]
    assert [(row["description"], row["product_name"]) for row in rows] == [
        ("Nổi mẩn sau 2 giờ uống", "Paracetamol 500mg")]
    xlsx = shop["owner"].get("/api/v1/books/complaints", query_string=_today_query(shop, format="xlsx"))
    sheet = list(load_workbook(io.BytesIO(xlsx.data)).active.iter_rows(values_only=True))
    assert sheet[0][:2] == ("Ngày", "Khách hàng") and sheet[1][5] == "Hộp móp"


def test_recall_register_is_served_as_a_book(shop):
    owner = shop["owner"]
    recall = owner.post("/api/v1/recalls", json={
        "decision_number": "123/QĐ-QLD", "decision_date": local_today().isoformat(), "level": 2,
        "product_id": shop["product"], "lots": ["SOON"], "reason": "Không đạt độ hòa tan"})
    assert recall.status_code == 201
    rows = owner.get("/api/v1/books/recalls", query_string=_today_query(shop)).json["items"]
    assert [(r["decision"], r["lot"], r["quarantined"], r["level"]) for r in rows] == [("123/QĐ-QLD", "SOON", 20, 2)]
