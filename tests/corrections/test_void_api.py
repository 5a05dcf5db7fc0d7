"""Voiding a sale through the API: units back to their lots, once only, shown on the sale, no returns after."""
from __future__ import annotations

from datetime import date, timedelta


def test_void_puts_every_unit_back_into_the_lot_it_came_from(desk):
    sale = desk.sell()
    assert desk.lots() == {"OLD": 50, "SOON": 0, "LATE": 90}
    response = desk.void(sale["id"], reason="Khách đổi ý")
    assert response.status_code == 201, response.json
    assert response.json["status"] == "voided"
    assert response.json["void"]["number"] == "HUY-CH01-000001"
    assert (response.json["void"]["reason"], response.json["void"]["refund"]) == ("Khách đổi ý", 15000)
    assert desk.lots() == {"OLD": 50, "SOON": 20, "LATE": 100}
    shown = desk.api.get(f"/api/v1/sales/{sale['id']}").json
    assert (shown["status"], shown["void"]["number"]) == ("voided", "HUY-CH01-000001")
    assert desk.mismatches() == []


def test_void_after_a_partial_return_puts_back_only_what_the_customer_still_had(desk):
    sale = desk.sell()
    line = sale["lines"][0]["id"]
    assert desk.give_back(sale["id"], [{"sale_line_id": line, "quantity": 1}]).status_code == 201
    assert desk.lots() == {"OLD": 50, "SOON": 0, "LATE": 100}
    voided = desk.void(sale["id"])
    assert voided.status_code == 201
    assert voided.json["void"]["refund"] == 15000 - 5000  # the return already refunded one blister
    assert desk.lots() == {"OLD": 50, "SOON": 20, "LATE": 100}
    assert desk.mismatches() == []


def test_a_second_void_is_a_conflict_and_changes_nothing(desk):
    from pharmacy.models import Movement, SaleVoid

    sale = desk.sell()
    assert desk.void(sale["id"]).status_code == 201
    again = desk.void(sale["id"], api=desk.shop["owner"])
    assert again.status_code == 409
    assert "HUY-CH01-000001" in again.json["message"]
    assert desk.count(SaleVoid) == 1
    assert desk.count(Movement, Movement.kind == "void") == 2
    assert desk.lots() == {"OLD": 50, "SOON": 20, "LATE": 100}


def test_the_unique_void_per_sale_is_the_last_guard_and_answers_409(desk, monkeypatch):
    """Were the row locks ever missed, the unique sale_id still refuses a second void, with a clear 409."""
    from pharmacy.models import Movement
    from pharmacy.sales import corrections

    sale = desk.sell()
    assert desk.void(sale["id"]).status_code == 201
    monkeypatch.setattr(corrections, "_refuse_if_voided", lambda session, sale: None)
    again = desk.void(sale["id"])
    assert again.status_code == 409
    assert again.json["errors"] == {"sale_id": [f"Hóa đơn {sale['number']} vừa được hủy ở máy khác."]}
    assert desk.count(Movement, Movement.kind == "void") == 2
    assert desk.lots() == {"OLD": 50, "SOON": 20, "LATE": 100}


def test_a_voided_sale_takes_no_returns(desk):
    sale = desk.sell()
    desk.void(sale["id"])
    response = desk.give_back(sale["id"], [{"sale_line_id": sale["lines"][0]["id"], "quantity": 1}])
    assert response.status_code == 409
    assert "sale_id" in response.json["errors"]


def test_void_needs_a_reason_and_writes_nothing_without_one(desk):
    from pharmacy.models import SaleVoid

    sale = desk.sell()
    blank = desk.void(sale["id"], reason="   ")
    assert blank.status_code == 422 and "reason" in blank.json["errors"]
    missing = desk.api.post(f"/api/v1/sales/{sale['id']}/void", json={})
    assert missing.status_code == 422 and "reason" in missing.json["errors"]
    assert desk.api.post(f"/api/v1/sales/{sale['id']}/void", data="x").status_code in (400, 415, 422)
    assert desk.count(SaleVoid) == 0
    assert desk.void(sale["id"]).json["void"]["number"] == "HUY-CH01-000001"


def test_sales_of_other_stores_and_unknown_sales_are_not_found(books, desk):
    other = books.store("CH02")
    books.receive(other, desk.product, "Q1", date.today() + timedelta(days=90), 10)
    sale = desk.sell([{"product_id": desk.product, "unit": "Viên", "quantity": 2}], api=desk.shop["owner"])
    foreign = desk.shop["owner"].post("/api/v1/sales", json={
        "store_id": other, "lines": [{"product_id": desk.product, "unit": "Viên", "quantity": 1}]}).json
    assert desk.void(foreign["id"]).status_code == 404
    assert desk.void(999999).status_code == 404
    assert desk.void(sale["id"]).status_code == 201
