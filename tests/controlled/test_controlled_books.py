"""The controlled-drug ledger and its books on a hand-computed fixture: 50 received, sales of 2 and 3, the first
voided (+2), 1 destroyed → received 52, issued 6, closing 46, equal to the lot on hand; a count variance opens an
incident due in 48 hours."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from pharmacy.clock import local_today

from .conftest import BUYER, sell


def _book_day():
    today = local_today().isoformat()
    return {"date_from": today, "date_to": today}


def _history(shop):
    narcotic = shop["products"]["narcotic"]
    first = sell(shop["licensed"], shop["pharmacy"], narcotic, quantity=2)
    second = sell(shop["licensed"], shop["pharmacy"], narcotic, quantity=3)
    assert first.status_code == second.status_code == 201
    assert shop["owner"].post(f"/api/v1/sales/{first.json['id']}/void", json={"reason": "Nhầm"}).status_code in (
        200, 201)
    issued = shop["owner"].post("/api/v1/issues", json={
        "store_id": shop["pharmacy"], "kind": "destruction", "note": "Vỡ ống", "lines": [
            {"product_id": narcotic, "unit": "Viên", "quantity": 1, "lot": "L-NARC"}]})
    assert issued.status_code == 201, issued.json
    return first.json, second.json


def test_xnt_book_reconciles_with_the_ledger_and_the_stock(app, controlled_shop):
    shop = controlled_shop
    first, second = _history(shop)
    page = shop["licensed"].get("/api/v1/controlled/books/xnt",
                                query_string={"store_id": shop["pharmacy"], **_book_day()})
    assert page.status_code == 200, page.json
    narcotic = next(item for item in page.json["items"] if item["product_id"] == shop["products"]["narcotic"])
    assert narcotic["control_class"] == "narcotic"
    [lot] = narcotic["lots"]
    assert (lot["opening"], lot["received"], lot["issued"], lot["closing"]) == (0, 52, 6, 46)
    assert [line["balance"] for line in lot["lines"]] == [50, 48, 45, 47, 46]
    assert [line["document_number"] for line in lot["lines"]][1:3] == [first["number"], second["number"]]
    assert lot["lines"][1]["counterparty"] == BUYER["name"]

    from pharmacy.controlled.models import ControlledEntry
    from pharmacy.extensions import db
    from pharmacy.models import StockLot

    with app.app_context():
        ledger = db.session.scalar(select(func.sum(ControlledEntry.quantity)).where(
            ControlledEntry.product_id == shop["products"]["narcotic"], ControlledEntry.store_id == shop["pharmacy"]))
        on_hand = db.session.scalar(select(StockLot.quantity).where(
            StockLot.product_id == shop["products"]["narcotic"], StockLot.store_id == shop["pharmacy"]))
    assert ledger == on_hand == 46


def test_reports_sum_to_the_ledger_and_the_next_period_opens_with_its_closing(controlled_shop):
    shop = controlled_shop
    _history(shop)
    today = local_today()
    half = 1 if today.month <= 6 else 2
    for query in ({"half": half}, {}):
        report = shop["licensed"].get("/api/v1/controlled/reports", query_string={
            "store_id": shop["pharmacy"], "year": today.year, **query})
        assert report.status_code == 200, report.json
        row = next(item for item in report.json["items"] if item["product_id"] == shop["products"]["narcotic"])
        assert (row["opening"], row["received"], row["issued"], row["closing"]) == (0, 52, 6, 46)
    later = shop["licensed"].get("/api/v1/controlled/books/xnt", query_string={
        "store_id": shop["pharmacy"], "date_from": (today + timedelta(days=1)).isoformat(),
        "date_to": (today + timedelta(days=2)).isoformat()}).json
    row = next(item for item in later["items"] if item["product_id"] == shop["products"]["narcotic"])
    assert row["lots"][0]["opening"] == 46 and row["lots"][0]["lines"] == []
    bad = shop["licensed"].get("/api/v1/controlled/reports", query_string={"store_id": shop["pharmacy"],
                                                                         "year": today.year, "half": 3})
    assert bad.status_code == 422 and "half" in bad.json["errors"]


def test_customer_book_lists_buyers_of_sales(controlled_shop):
    shop = controlled_shop
    first, second = _history(shop)
    page = shop["licensed"].get("/api/v1/controlled/books/customers",
                                query_string={"store_id": shop["pharmacy"], **_book_day()})
    assert page.status_code == 200 and page.json["total"] == 2
    row = page.json["items"][1]
    assert (row["document_number"], row["buyer_name"], row["buyer_id_number"], row["quantity"]) == (
        second["number"], BUYER["name"], BUYER["id_number"], 3)
    assert row["prescription_form"] == "N" and row["lot"] == "L-NARC"
    missing = shop["licensed"].get("/api/v1/controlled/books/customers", query_string={"store_id": shop["pharmacy"]})
    assert missing.status_code == 422 and "date_from" in missing.json["errors"]
    other = shop["licensed"].get("/api/v1/controlled/books/customers",
                                 query_string={"store_id": 999, **_book_day()})
    assert other.status_code in (403, 404)


def test_a_count_variance_on_a_controlled_drug_opens_a_48_hour_incident(controlled_shop):
    shop = controlled_shop
    api, owner, narcotic = shop["licensed"], shop["owner"], shop["products"]["narcotic"]
    count = api.post("/api/v1/stock-counts", json={"store_id": shop["pharmacy"], "scope": "products",
                                                   "product_ids": [narcotic]})
    assert count.status_code == 201, count.json
    count_id = count.json["id"]
    assert api.put(f"/api/v1/stock-counts/{count_id}/lines", json={"lines": [
        {"product_id": narcotic, "lot": "L-NARC", "unit": "Viên", "quantity": 48}]}).status_code == 200
    assert api.post(f"/api/v1/stock-counts/{count_id}/submit").status_code == 200
    assert owner.post(f"/api/v1/stock-counts/{count_id}/approve").status_code == 200
    page = api.get("/api/v1/controlled/incidents", query_string={"open": "true"}).json
    [incident] = page["items"]
    assert (incident["product_id"], incident["lot"], incident["quantity"]) == (narcotic, "L-NARC", -2)
    from datetime import datetime

    opened, deadline = (datetime.fromisoformat(incident[key]) for key in ("opened_at", "deadline"))
    assert deadline - opened == timedelta(hours=48)
    refused = api.post(f"/api/v1/controlled/incidents/{incident['id']}/report", json={"note": "  "})
    assert refused.status_code == 422 and "note" in refused.json["errors"]
    reported = api.post(f"/api/v1/controlled/incidents/{incident['id']}/report",
                        json={"note": "Đã báo Sở Y tế qua công văn 12/NT01"})
    assert reported.status_code == 200 and reported.json["reported_at"]
    assert api.get("/api/v1/controlled/incidents", query_string={"open": "true"}).json["total"] == 0


def test_the_gpp_books_api_serves_the_controlled_books_from_the_same_ledger(controlled_shop):
    """GET /api/v1/books/controlled-stock and /controlled-customers (and so the books page and its export ZIP):
    the same entries and balances as the controlled-drug endpoints."""
    shop = controlled_shop
    first, second = _history(shop)
    query = {"store_id": shop["pharmacy"], **_book_day(), "per_page": 200}
    stock = shop["owner"].get("/api/v1/books/controlled-stock", query_string=query)
    assert stock.status_code == 200, stock.json
    rows = [row for row in stock.json["items"] if row["lot"] == "L-NARC"]
    assert [row["balance"] for row in rows] == [0, 50, 48, 45, 47, 46]  # the opening line, then each entry
    assert sum(row["received"] or 0 for row in rows) == 52 and sum(row["issued"] or 0 for row in rows) == 6
    assert rows[2]["document_number"] == first["number"] and rows[2]["counterparty"] == BUYER["name"]
    buyers = shop["owner"].get("/api/v1/books/controlled-customers", query_string=query)
    assert buyers.status_code == 200, buyers.json
    assert [(row["document_number"], row["quantity"], row["id_number"]) for row in buyers.json["items"]] == [
        (first["number"], 2, BUYER["id_number"]), (second["number"], 3, BUYER["id_number"])]
    workbook = shop["owner"].get("/api/v1/books/controlled-stock", query_string={**query, "format": "xlsx"})
    assert workbook.status_code == 200 and workbook.data[:2] == b"PK"
