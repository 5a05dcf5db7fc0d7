"""The books page through the test client: every book renders for a store and period, the forms write the
registers (a bad one answers 422 with the field and writes nothing), reversals, the ZIP download."""
from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, timedelta

from pharmacy.clock import LOCAL_TZ, local_today

from .test_backoffice_pages import signed_in


def _query(shop, book):
    today = local_today().isoformat()
    return f"/books/?book={book}&store_id={shop['store']}&date_from={today}&date_to={today}"


def test_every_book_renders(app, shop):
    client = signed_in(app, "ds1")
    for book in ("stock-movements", "prescription-sales", "quality-control", "temperature-humidity", "recalls",
                 "complaints", "adverse-reactions"):
        page = client.get(_query(shop, book))
        assert page.status_code == 200, book
        assert 'id="book-table"' in page.get_data(as_text=True) and "books-page" in page.get_data(as_text=True)
    assert client.get(_query(shop, "nope")).status_code == 404


def test_forms_write_the_registers_and_reversals(app, shop):
    client = signed_in(app, "ds1")
    query = _query(shop, "temperature-humidity").replace("/books/?", "/books/entries?")
    at = datetime.now(LOCAL_TZ) - timedelta(minutes=5)
    reading = {"csrf_token": client.csrf, "area": "Kho chính", "read_at": at.strftime("%Y-%m-%dT%H:%M"),
               "temperature": "32,5", "humidity": "60", "device": "TH-01"}
    refused = client.post(query, data=reading)
    assert refused.status_code == 422 and 'data-field="corrective_note"' in refused.get_data(as_text=True)
    with app.app_context():
        from pharmacy.books.models import ClimateReading
        from pharmacy.extensions import db

        assert db.session.query(ClimateReading).count() == 0
    done = client.post(query, data={**reading, "corrective_note": "Bật điều hòa"})
    assert done.status_code == 302

    complaint_url = _query(shop, "complaints").replace("/books/?", "/books/entries?")
    lot = f"{shop['product']}|LATE|{date.today() + timedelta(days=400)}"
    assert client.post(complaint_url, data={"csrf_token": client.csrf, "customer_name": "Chị Lan",
                                            "description": "", "lot_choice": ""}).status_code == 422
    quality_url = _query(shop, "quality-control").replace("/books/?", "/books/entries?")
    broken = client.post(quality_url, data={"csrf_token": client.csrf, "lot_choice": "1|LATE|not-a-date",
                                            "quantity_checked": "3", "sensory": "Đạt", "conclusion": "pass"})
    assert broken.status_code == 422 and 'data-field="lot_choice"' in broken.get_data(as_text=True)
    written = client.post(complaint_url, data={"csrf_token": client.csrf, "customer_name": "Chị Lan",
                                               "description": "Hộp móp", "lot_choice": lot})
    assert written.status_code == 302
    page = client.get(_query(shop, "complaints")).get_data(as_text=True)
    assert "Hộp móp" in page and "reversal-form" in page
    rows = shop["owner"].get("/api/v1/books/complaints", query_string={
        "store_id": shop["store"], "date_from": local_today().isoformat(),
        "date_to": local_today().isoformat()}).json["items"]
    reversal_url = f"/books/entries/{rows[0]['id']}/reversal?book=complaints&store_id={shop['store']}"
    assert client.post(reversal_url, data={"csrf_token": client.csrf, "reason": ""}).status_code == 422
    assert client.post(reversal_url, data={"csrf_token": client.csrf, "reason": "Ghi nhầm"}).status_code == 302
    page = client.get(_query(shop, "complaints")).get_data(as_text=True)
    assert "Đảo dòng #" in page and "Ghi nhầm" in page


def test_zip_download_from_the_page_for_whom_may_see_costs(app, shop):
    today = local_today().isoformat()
    url = f"/books/export.zip?store_id={shop['store']}&date_from={today}&date_to={today}"
    pharmacist = signed_in(app, "ds1")  # the raw documents carry costs, hidden from this store's pharmacists
    assert pharmacist.get(url).status_code == 403
    assert 'id="books-zip"' not in pharmacist.get(_query(shop, "complaints")).get_data(as_text=True)
    owner = signed_in(app, "owner")
    answer = owner.get(url)
    assert answer.status_code == 200 and answer.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(answer.data)).namelist()
    assert "manifest.json" in names and any(name.startswith("books/so-xnt-theo-lo") for name in names)
    assert 'id="books-zip"' in owner.get(_query(shop, "complaints")).get_data(as_text=True)


def test_dashboard_reminds_of_due_climate_readings(app, shop):
    from pharmacy.clock import utcnow

    app.config["CLIMATE_SLOTS"] = "00:00"  # due from midnight, whenever the test runs
    with app.app_context():  # the store exists since yesterday
        from pharmacy.extensions import db
        from pharmacy.stores.models import Store

        db.session.get(Store, shop["store"]).created_at = utcnow() - timedelta(days=1)
        db.session.commit()
    owner = signed_in(app, "owner")
    page = owner.get("/dashboard").get_data(as_text=True)
    assert 'id="climate-due"' in page and "Kho chính · 00:00" in page
    reading = {"store_id": shop["store"], "area": "Kho chính", "temperature": 25, "humidity": 60, "device": "TH-01",
               "read_at": min(datetime.now(LOCAL_TZ).replace(hour=0, minute=5, second=0, microsecond=0),
                              datetime.now(LOCAL_TZ)).isoformat()}
    assert shop["owner"].post("/api/v1/climate-readings", json=reading).status_code == 201
    assert 'id="climate-due"' not in owner.get("/dashboard").get_data(as_text=True)
