"""The books API on the hand-computed chain (tests/reports/conftest.py): the XNT book is the XNT report's numbers
(one implementation) and reconciles with the ledger; the prescription book through the same API and Excel."""
from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook

from .conftest import local

PERIOD = {"date_from": "2026-11-10", "date_to": "2026-11-11"}


def test_stock_movements_book_is_the_xnt_report_and_reconciles_with_the_ledger(chain, app):
    api = chain["owner"]
    query = {**PERIOD, "store_id": chain["b"]}
    book = api.get("/api/v1/books/stock-movements", query_string=query).json
    report = api.get("/api/v1/reports/stock-movements", query_string=query).json
    figures = ("opening", "received", "sold", "returned", "voided", "issued", "transferred_in", "transferred_out",
               "adjusted", "closing")
    assert [[row[k] for k in figures] for row in book["items"]] == [[row[k] for k in figures]
                                                                    for row in report["rows"]]
    l2 = next(row for row in book["items"] if row["lot"] == "L2")
    # by hand: 500 received 01/11; 3 sold and voided, 5 sold, 20 transferred out, +2 counted → 477
    assert {k: l2[k] for k in ("opening", "sold", "voided", "transferred_out", "adjusted", "closing")} == {
        "opening": 500, "sold": 8, "voided": 3, "transferred_out": 20, "adjusted": 2, "closing": 477}
    assert l2["registration_no"] == "VD-1-23" and l2["expiry"] == "2026-12-15"
    assert (book["total"], book["page"], book["per_page"], book["totals"]["closing"]) == (2, 1, 50, 487)

    from pharmacy.extensions import db
    from pharmacy.stock.models import StockLot

    with app.app_context():  # the period ends after the last movement: closing = on hand, lot by lot
        on_hand = {lot.lot: lot.quantity for lot in db.session.query(StockLot).filter_by(store_id=chain["b"])}
    assert {row["lot"]: row["closing"] for row in book["items"]} == on_hand

    xlsx = api.get("/api/v1/books/stock-movements", query_string={**query, "format": "xlsx"})
    assert 'filename="so-xnt-theo-lo_CH02_2026-11-10_2026-11-11.xlsx"' in xlsx.headers["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(xlsx.data)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Sản phẩm", "Số đăng ký", "Nhà sản xuất") and rows[-1][0] == "Tổng cộng"
    assert rows[-1][-1] == 487


def test_prescription_sales_book_through_the_books_api(chain, app):
    from pharmacy.extensions import db
    from pharmacy.sales.services import record_sale
    from pharmacy.stores.models import Store, User

    with app.app_context():
        seller = db.session.query(User).filter_by(username="ds_a").one()
        rx = {"doctor_name": "BS. Trần Minh Đức", "facility_name": "BV Nhân dân 115",
              "patient_name": "Nguyễn Văn An", "issued_on": date(2026, 11, 10)}
        number = record_sale(db.session, store=db.session.get(Store, chain["a"]), actor=seller, now=local(11, 15),
                             lines=[{"product_id": chain["p"], "unit": "Viên", "quantity": 6}],
                             prescription=rx).number
        db.session.commit()
    api = chain["ds_a"]
    body = api.get("/api/v1/books/prescription-sales", query_string={**PERIOD, "store_id": chain["a"]}).json
    assert body["total"] == 1 and body["items"][0] == {
        "number": number, "sold_at": "11/11/2026 15:00", "status": "", "prescription": "Đơn giấy",
        "patient": "Nguyễn Văn An", "prescriber": "BS. Trần Minh Đức", "facility": "BV Nhân dân 115",
        "product_name": "Paracetamol 500mg", "quantity": 6, "unit": "Viên", "lots": "L1 (30/06/2027)",
        "substitution": "", "pharmacist": body["items"][0]["pharmacist"]}
    xlsx = api.get("/api/v1/books/prescription-sales",
                   query_string={**PERIOD, "store_id": chain["a"], "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(xlsx.data)).active.iter_rows(values_only=True))
    assert rows[1][0] == number and rows[1][4] == "Nguyễn Văn An"


def test_books_api_refuses_bad_input_and_other_stores(chain):
    owner, ds_b = chain["owner"], chain["ds_b"]
    assert owner.get("/api/v1/books/nope", query_string={**PERIOD, "store_id": chain["a"]}).status_code == 404
    missing = owner.get("/api/v1/books/complaints", query_string=PERIOD)
    assert missing.status_code == 422 and "store_id" in missing.json["errors"]
    backwards = owner.get("/api/v1/books/complaints", query_string={"store_id": chain["a"], "date_from": "2026-11-11",
                                                                    "date_to": "2026-11-10"})
    assert backwards.status_code == 422 and "date_to" in backwards.json["errors"]
    assert ds_b.get("/api/v1/books/stock-movements",
                    query_string={**PERIOD, "store_id": chain["a"]}).status_code == 403
    assert owner.get("/api/v1/books/recalls", query_string={**PERIOD, "store_id": chain["a"],
                                                            "per_page": 201}).status_code == 422
