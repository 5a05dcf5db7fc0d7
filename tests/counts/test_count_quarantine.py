"""A lot with units both sellable and in quarantine (a customer return, a suspect box) is counted per state: two
sheet lines, each adjusted on its own row at approval; the ledger still matches."""
from __future__ import annotations

from sqlalchemy import select


def _on_hand(app, product):
    from pharmacy.extensions import db
    from pharmacy.models import StockLot

    with app.app_context():
        rows = db.session.execute(select(StockLot).where(StockLot.product_id == product)).scalars()
        return {(lot.lot, lot.state): lot.quantity for lot in rows if lot.quantity}


def test_a_lot_in_both_states_is_counted_and_adjusted_per_state(shop, app):
    from pharmacy.extensions import db
    from pharmacy.stock.services import ledger_mismatches

    api, owner, store, product = shop["pharmacist"], shop["owner"], shop["store"], shop["product"]
    held = api.post("/api/v1/stock/quarantine", json={"store_id": store, "lines": [
        {"product_id": product, "lot": "SOON", "quantity": 8, "reason": "Hộp móp"}]})
    assert held.status_code == 201, held.json
    count = api.post("/api/v1/stock-counts", json={"store_id": store, "scope": "all"}).json
    assert {(x["lot"], x["state"], x["expected"]) for x in count["lines"]} == {
        ("OLD", "sellable", 50), ("SOON", "sellable", 12), ("SOON", "quarantine", 8), ("LATE", "sellable", 100)}
    counted = api.put(f"/api/v1/stock-counts/{count['id']}/lines", json={"lines": [
        {"product_id": product, "lot": "SOON", "unit": "Viên", "quantity": 11},  # the shelf: sellable by default
        {"product_id": product, "lot": "SOON", "unit": "Viên", "quantity": 6, "state": "quarantine"},
        {"product_id": product, "lot": "OLD", "unit": "Viên", "quantity": 50},
        {"product_id": product, "lot": "LATE", "unit": "Viên", "quantity": 100}]})
    assert counted.status_code == 200, counted.json
    assert api.post(f"/api/v1/stock-counts/{count['id']}/submit").status_code == 200
    approved = owner.post(f"/api/v1/stock-counts/{count['id']}/approve")
    assert approved.status_code == 200, approved.json
    assert _on_hand(app, product) == {("OLD", "sellable"): 50, ("SOON", "sellable"): 11,
                                      ("SOON", "quarantine"): 6, ("LATE", "sellable"): 100}
    with app.app_context():
        assert ledger_mismatches(db.session) == []


def test_found_units_of_a_quarantined_lot_go_back_to_quarantine(shop, app):
    api, owner, store, product = shop["pharmacist"], shop["owner"], shop["store"], shop["product"]
    api.post("/api/v1/stock/quarantine", json={"store_id": store, "lines": [
        {"product_id": product, "lot": "LATE", "quantity": 100, "reason": "Nghi hàng giả"}]})
    count = api.post("/api/v1/stock-counts", json={"store_id": store, "scope": "products",
                                                   "product_ids": [product]}).json
    bad = api.put(f"/api/v1/stock-counts/{count['id']}/lines", json={"lines": [
        {"product_id": product, "lot": "LATE", "unit": "Viên", "quantity": 1, "state": "lost"}]})
    assert bad.status_code == 422 and "lines[0].state" in bad.json["errors"]
    api.put(f"/api/v1/stock-counts/{count['id']}/lines", json={"lines": [
        {"product_id": product, "lot": "LATE", "unit": "Viên", "quantity": 104, "state": "quarantine"},
        {"product_id": product, "lot": "OLD", "unit": "Viên", "quantity": 50},
        {"product_id": product, "lot": "SOON", "unit": "Viên", "quantity": 20}]})
    api.post(f"/api/v1/stock-counts/{count['id']}/submit")
    assert owner.post(f"/api/v1/stock-counts/{count['id']}/approve").status_code == 200
    assert _on_hand(app, product)[("LATE", "quarantine")] == 104
    assert ("LATE", "sellable") not in _on_hand(app, product)
