"""Stock counts through the API: snapshot, counting (blind, unknown lots), a sale mid-count, submit, approve."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select


def _open(shop, api=None, **body):
    body = {"store_id": shop["store"], "scope": "all", **body}
    return (api or shop["pharmacist"]).post("/api/v1/stock-counts", json=body)


def _lots(app, product):
    from pharmacy.extensions import db
    from pharmacy.models import StockLot

    with app.app_context():
        rows = db.session.execute(select(StockLot).where(StockLot.product_id == product)).scalars()
        return {lot.lot: lot.quantity for lot in rows}


def test_a_count_with_a_mid_count_sale_adjusts_only_the_variance(shop, app):
    from pharmacy.extensions import db
    from pharmacy.models import Movement, OutboxMessage
    from pharmacy.stock.services import ledger_mismatches

    api, owner, product = shop["pharmacist"], shop["owner"], shop["product"]
    opened = _open(shop)
    assert opened.status_code == 201, opened.json
    count = opened.json
    assert (count["number"], count["status"]) == ("KK-CH01-000001", "counting")
    assert {(x["lot"], x["expected"]) for x in count["lines"]} == {("OLD", 50), ("SOON", 20), ("LATE", 100)}
    # a sale while counting: 5 from SOON (FEFO), after the snapshot
    sale = api.post("/api/v1/sales", json={"store_id": shop["store"],
                                           "lines": [{"product_id": product, "unit": "Viên", "quantity": 5}]})
    assert sale.status_code == 201
    later = (date.today() + timedelta(days=900)).isoformat()
    counted = api.put(f"/api/v1/stock-counts/{count['id']}/lines", json={"lines": [
        {"product_id": product, "lot": "SOON", "unit": "Viên", "quantity": 18},  # counted before the sale: 2 missing
        {"product_id": product, "lot": "LATE", "unit": "Vỉ", "quantity": 10},
        {"product_id": product, "lot": "NEW1", "expiry": later, "unit": "Viên", "quantity": 4},  # unknown lot
    ]})
    assert counted.status_code == 200, counted.json
    again = api.put(f"/api/v1/stock-counts/{count['id']}/lines", json={"lines": [
        {"product_id": product, "lot": "OLD", "unit": "Viên", "quantity": 50}]})  # repeatable
    assert again.status_code == 200
    submitted = api.post(f"/api/v1/stock-counts/{count['id']}/submit")
    assert submitted.status_code == 200 and submitted.json["status"] == "submitted"
    variances = [(x["lot"], x["variance"], x["variance_value"]) for x in submitted.json["variances"]]
    assert variances == [("SOON", -2, -800), ("NEW1", 4, 0)]  # by value at cost (400 ₫ per base unit)
    assert api.post(f"/api/v1/stock-counts/{count['id']}/approve").status_code == 403  # owners approve
    approved = owner.post(f"/api/v1/stock-counts/{count['id']}/approve")
    assert approved.status_code == 200 and approved.json["status"] == "approved"
    assert _lots(app, product) == {"OLD": 50, "SOON": 13, "LATE": 100, "NEW1": 4}  # the sale is kept
    with app.app_context():
        adjustments = db.session.scalars(select(Movement.quantity).where(Movement.kind == "adjustment")).all()
        assert sorted(adjustments) == [-2, 4]
        assert ledger_mismatches(db.session) == []
        message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.document_type == "stock_count")).one()
        assert message.document_number == "KK-CH01-000001"
    assert owner.post(f"/api/v1/stock-counts/{count['id']}/approve").status_code == 409


def test_a_blind_count_hides_expected_quantities_from_the_counter_until_submitted(shop):
    count = _open(shop, blind=True, scope="products", product_ids=[shop["product"]]).json
    assert all(x["expected"] is None and x["variance"] is None for x in count["lines"])
    seen_by_owner = shop["owner"].get(f"/api/v1/stock-counts/{count['id']}").json
    assert {x["expected"] for x in seen_by_owner["lines"]} == {50, 20, 100}
    submitted = shop["pharmacist"].post(f"/api/v1/stock-counts/{count['id']}/submit").json
    assert {x["lot"]: x["variance"] for x in submitted["variances"]} == {"OLD": -50, "SOON": -20, "LATE": -100}


def test_cancel_changes_nothing_and_bad_input_names_the_field(shop, app, books):
    from pharmacy.models import StockCount

    api = shop["pharmacist"]
    for field, body in [("scope", {"scope": "some"}), ("product_ids", {"scope": "products"}),
                        ("product_ids", {"scope": "products", "product_ids": [99999]}), ("store_id", {"store_id": 0})]:
        response = _open(shop, **body)
        assert response.status_code == 422 and field in response.json["errors"], (field, response.json)
    count = _open(shop).json
    cases = [
        ("lines[0].expiry", {"product_id": shop["product"], "lot": "NEW", "unit": "Viên", "quantity": 1}),
        ("lines[0].unit", {"product_id": shop["product"], "lot": "OLD", "unit": "Thùng", "quantity": 1}),
        ("lines[0].quantity", {"product_id": shop["product"], "lot": "OLD", "unit": "Viên", "quantity": -1}),
        ("lines[0].lot", {"product_id": shop["product"], "lot": "có dấu", "unit": "Viên", "quantity": 1}),
    ]
    for field, line in cases:
        response = api.put(f"/api/v1/stock-counts/{count['id']}/lines", json={"lines": [line]})
        assert response.status_code == 422 and field in response.json["errors"], (field, response.json)
    assert api.post(f"/api/v1/stock-counts/{count['id']}/cancel").json["status"] == "cancelled"
    assert api.post(f"/api/v1/stock-counts/{count['id']}/submit").status_code == 409
    assert _lots(app, shop["product"]) == {"OLD": 50, "SOON": 20, "LATE": 100}
    listed = api.get("/api/v1/stock-counts?status=cancelled").json
    assert (listed["total"], listed["items"][0]["number"]) == (1, "KK-CH01-000001")
    other = books.store("CH09")
    books.user("ds9", stores=[other])
    outsider = books.api("ds9")
    assert outsider.get(f"/api/v1/stock-counts/{count['id']}").status_code == 404
    assert outsider.post(f"/api/v1/stock-counts/{count['id']}/cancel").status_code == 404
    with app.app_context():
        from pharmacy.extensions import db

        assert db.session.query(StockCount).count() == 1
