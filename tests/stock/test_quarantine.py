"""Quarantine: units of a lot kept apart from sellable stock by a movement pair; never sold, previewed or scanned;
released back or issued (destruction / return to supplier); listed with a state per lot row."""
from __future__ import annotations


def _move(api, path, store, product, lot, quantity, reason="Nghi ngờ chất lượng"):
    return api.post(f"/api/v1/stock/{path}", json={"store_id": store, "lines": [
        {"product_id": product, "lot": lot, "quantity": quantity, "reason": reason}]})


def _lots(api, store, product):
    item = api.get(f"/api/v1/stock?store_id={store}&product_id={product}").json["items"][0]
    return item, [(lot["lot"], lot["state"], lot["quantity"]) for lot in item["lots"]]


def test_quarantine_splits_a_lot_into_two_rows_and_on_hand_is_unchanged(app, shop):
    api, store, product = shop["pharmacist"], shop["store"], shop["product"]
    response = _move(api, "quarantine", store, product, "SOON", 15)
    assert response.status_code == 201, response.json
    assert response.json["items"][0]["to_state"] == "quarantine"
    item, lots = _lots(api, store, product)
    assert ("SOON", "sellable", 5) in lots and ("SOON", "quarantine", 15) in lots
    assert item["on_hand"] == 170 and item["quarantined"] == 15 and item["sellable"] == 105
    from pharmacy.extensions import db
    from pharmacy.stock.services import ledger_mismatches

    with app.app_context():
        assert ledger_mismatches(db.session) == []


def test_quarantined_units_are_never_sold_previewed_or_offered(books, shop):
    api, store, product = shop["pharmacist"], shop["store"], shop["product"]
    assert _move(api, "quarantine", store, product, "SOON", 20).status_code == 201
    sale = api.post("/api/v1/sales", json={"store_id": store, "lines": [
        {"product_id": product, "unit": "Viên", "quantity": 5}]})
    assert sale.status_code == 201
    assert [a["lot"] for a in sale.json["lines"][0]["allocations"]] == ["LATE"]
    named = api.post("/api/v1/sales", json={"store_id": store, "lines": [
        {"product_id": product, "unit": "Viên", "quantity": 1, "lot": "SOON"}]})
    assert named.status_code == 422 and named.json["reason"] == "quarantined"
    assert "Lô SOON của Paracetamol 500mg đang cách ly (20 Viên)" in named.json["errors"]["lines[0].lot"][0]
    preview = api.post("/api/v1/counter/preview", json={"store_id": store, "lines": [
        {"product_id": product, "unit": "Viên", "quantity": 1, "lot": "SOON"}]}).json
    assert preview["lines"][0]["problem"] == "quarantined"
    assert preview["lines"][0]["message"].startswith("Lô SOON của Paracetamol 500mg đang cách ly (20 Viên)")
    sent = api.post("/api/v1/transfers", json={"from_store_id": store, "to_store_id": books.store("CH02"), "lines": [
        {"product_id": product, "unit": "Viên", "quantity": 1, "lot": "SOON"}]})
    assert sent.status_code == 422 and sent.json["reason"] == "quarantined"
    too_many = api.post("/api/v1/sales", json={"store_id": store, "lines": [
        {"product_id": product, "unit": "Viên", "quantity": 96}]})
    assert too_many.status_code == 409
    assert all(lot["lot"] != "SOON" for lot in too_many.json["available"])


def test_release_returns_units_to_sellable(shop):
    api, store, product = shop["pharmacist"], shop["store"], shop["product"]
    _move(api, "quarantine", store, product, "SOON", 20)
    assert _move(api, "release", store, product, "SOON", 8, "Kiểm tra đạt").status_code == 201
    _item, lots = _lots(api, store, product)
    assert ("SOON", "sellable", 8) in lots and ("SOON", "quarantine", 12) in lots


def test_bad_moves_are_4xx_naming_the_field_and_write_nothing(app, shop):
    api, store, product = shop["pharmacist"], shop["store"], shop["product"]
    too_many = _move(api, "quarantine", store, product, "SOON", 21)
    assert too_many.status_code == 409 and "lines[0].quantity" in too_many.json["errors"]
    assert _move(api, "release", store, product, "SOON", 1).status_code == 404
    assert "lines[0].reason" in _move(api, "quarantine", store, product, "SOON", 1, reason="  ").json["errors"]
    zero = _move(api, "quarantine", store, product, "SOON", 0)
    assert zero.status_code == 422 and "lines" in str(zero.json["errors"])
    _item, lots = _lots(api, store, product)
    assert all(state == "sellable" for _lot, state, _q in lots)


def test_quarantined_units_can_be_destroyed_and_quarantine_goes_first(shop):
    api, store, product = shop["pharmacist"], shop["store"], shop["product"]
    _move(api, "quarantine", store, product, "SOON", 6)
    issue = api.post("/api/v1/issues", json={"store_id": store, "kind": "destruction", "note": "Hủy hàng hỏng",
                                             "lines": [{"product_id": product, "unit": "Viên", "quantity": 4,
                                                        "lot": "SOON"}]})
    assert issue.status_code == 201, issue.json
    _item, lots = _lots(api, store, product)
    assert ("SOON", "quarantine", 2) in lots and ("SOON", "sellable", 14) in lots


def test_a_pharmacist_of_another_store_cannot_quarantine(books, shop):
    other = books.store("CH02")
    books.user("ds2", stores=[other])
    response = _move(books.api("ds2"), "quarantine", shop["store"], shop["product"], "SOON", 1)
    assert response.status_code in (403, 404)


def test_stock_listing_counts_a_product_whose_stock_is_all_quarantined(shop):
    api, store, product = shop["pharmacist"], shop["store"], shop["product"]
    for lot, quantity in (("SOON", 20), ("LATE", 100)):
        _move(api, "quarantine", store, product, lot, quantity)
    item, _lots_now = _lots(api, store, product)
    assert item["sellable"] == 0 and item["quarantined"] == 120 and item["on_hand"] == 170


def test_xnt_by_lot_counts_a_lot_once_whatever_part_is_in_quarantine(app, shop):
    from datetime import date, timedelta

    from pharmacy.extensions import db
    from pharmacy.reports.movements import closing_of, stock_movements
    from pharmacy.reports.period import Period

    api, store, product = shop["pharmacist"], shop["store"], shop["product"]
    _move(api, "quarantine", store, product, "SOON", 15)
    _move(api, "release", store, product, "SOON", 5)
    with app.app_context():
        period = Period(date.today() - timedelta(days=1), date.today() + timedelta(days=1))
        rows = [row for row in stock_movements(db.session, period=period, store_id=store) if row.lot == "SOON"]
    assert len(rows) == 1
    assert rows[0].figures["closing"] == closing_of(rows[0].figures) == 20


def test_scanning_a_lot_held_only_in_quarantine_says_so_except_on_count_sheets_and_receipts(books, shop):
    product, code = books.boxed_lot(shop["store"], "Cefixim 200mg", "893450000098", "CX01", 30)
    api, store = shop["pharmacist"], shop["store"]
    assert _move(api, "quarantine", store, product, "CX01", 20).status_code == 201
    assert api.get("/api/v1/scan", query_string={"code": code, "store_id": store}).status_code == 200  # 10 left
    assert _move(api, "quarantine", store, product, "CX01", 10).status_code == 201
    refused = api.get("/api/v1/scan", query_string={"code": code, "store_id": store})
    assert refused.status_code == 422 and refused.json["reason"] == "quarantined"
    assert refused.json["message"].startswith("Lô CX01 của Cefixim 200mg đang cách ly (30 Viên)")
    allowed = api.get("/api/v1/scan", query_string={"code": code, "store_id": store, "allow_quarantined": "true"})
    assert allowed.status_code == 200 and allowed.json["lot"] == "CX01"
    assert api.get("/api/v1/scan", query_string={"code": code}).status_code == 200  # no store: nothing to check
