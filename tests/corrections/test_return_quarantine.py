"""Where a customer return goes: quarantine by default (checked before it is sold again), sellable when the store
says so, quarantine always for a recalled lot; the receipt is reported nationally either way."""
from __future__ import annotations

from datetime import date


def _give_back_two_blisters(desk):
    sale = desk.sell()  # 3 Vỉ = 20 from SOON + 10 from LATE
    response = desk.give_back(sale["id"], [{"sale_line_id": sale["lines"][0]["id"], "quantity": 2}])
    assert response.status_code == 201, response.json
    return response.json


def test_a_return_goes_to_quarantine_by_default_and_is_not_sold_again(desk):
    body = _give_back_two_blisters(desk)
    assert [(line["lot"], line["base_quantity"], line["state"]) for line in body["lines"]] == [
        ("LATE", 10, "quarantine"), ("SOON", 10, "quarantine")]
    assert desk.lots(state="sellable") == {"OLD": 50, "SOON": 0, "LATE": 90}
    assert desk.lots(state="quarantine") == {"SOON": 10, "LATE": 10}
    [item] = desk.api.get(f"/api/v1/stock?store_id={desk.store}").json["items"]
    assert item["quarantined"] == 20
    assert {(lot["lot"], lot["quantity"]) for lot in item["lots"] if lot["state"] == "quarantine"} == {
        ("SOON", 10), ("LATE", 10)}
    refused = desk.api.post("/api/v1/sales", json={"store_id": desk.store, "lines": [
        {"product_id": desk.product, "unit": "Viên", "quantity": 1, "lot": "SOON"}]})
    assert refused.status_code in (409, 422) and "cách ly" in refused.json["message"]
    assert ("receipt", "customer_return", body["number"], None) in desk.outbox()
    assert desk.mismatches() == []


def test_a_store_can_send_returns_straight_back_to_sellable(desk):
    patched = desk.shop["owner"].patch(f"/api/v1/stores/{desk.store}", json={"returns_to_quarantine": False})
    assert patched.status_code == 200, patched.json
    assert patched.json["returns_to_quarantine"] is False
    body = _give_back_two_blisters(desk)
    assert {line["state"] for line in body["lines"]} == {"sellable"}
    assert desk.lots(state="sellable") == {"OLD": 50, "SOON": 10, "LATE": 100}
    assert desk.lots(state="quarantine") == {}
    assert ("receipt", "customer_return", body["number"], None) in desk.outbox()
    assert desk.mismatches() == []


def test_a_recalled_lot_returned_goes_to_quarantine_even_when_returns_go_to_sellable(desk):
    desk.shop["owner"].patch(f"/api/v1/stores/{desk.store}", json={"returns_to_quarantine": False})
    sale = desk.sell()
    recall = desk.shop["owner"].post("/api/v1/recalls", json={
        "decision_number": "123/QĐ-QLD", "decision_date": date.today().isoformat(), "level": 2,
        "product_id": desk.product, "lots": ["LATE"], "reason": "Không đạt độ hòa tan"})
    assert recall.status_code == 201, recall.json
    response = desk.give_back(sale["id"], [{"sale_line_id": sale["lines"][0]["id"], "quantity": 3}])
    assert [(line["lot"], line["state"]) for line in response.json["lines"]] == [
        ("LATE", "quarantine"), ("SOON", "sellable")]
    assert desk.lots(state="quarantine") == {"LATE": 100}
    assert desk.mismatches() == []


def test_the_setting_must_be_a_boolean_and_new_stores_quarantine_returns(desk):
    owner = desk.shop["owner"]
    assert owner.get(f"/api/v1/stores/{desk.store}").json["returns_to_quarantine"] is True
    refused = owner.patch(f"/api/v1/stores/{desk.store}", json={"returns_to_quarantine": "maybe"})
    assert refused.status_code == 422 and "returns_to_quarantine" in refused.json["errors"]
    assert owner.get(f"/api/v1/stores/{desk.store}").json["returns_to_quarantine"] is True
