"""Goods issues through the API: named lots out (expired ones too), never more than on hand, a reason always."""
from __future__ import annotations

from datetime import date, timedelta


def line(lot, quantity, unit="Viên", product=None, desk=None, **extra):
    return {"product_id": product or desk.product, "unit": unit, "quantity": quantity, "lot": lot, **extra}


def test_destroying_an_expired_lot_is_allowed_and_empties_it(desk):
    response = desk.issue([line("OLD", 50, desk=desk)])
    assert response.status_code == 201, response.json
    body = response.json
    assert (body["number"], body["kind"]) == ("PX-CH01-000001", "destruction")
    assert body["note"] == "Hủy thuốc hết hạn"
    assert [(x["lot"], x["quantity"], x["base_quantity"]) for x in body["lines"]] == [("OLD", 50, 50)]
    assert desk.lots() == {"OLD": 0, "SOON": 20, "LATE": 100}
    assert desk.mismatches() == []


def test_return_to_supplier_in_a_packaging_unit(desk):
    response = desk.issue([line("LATE", 2, "Vỉ", desk=desk)], kind="return_to_supplier",
                          note="Hàng lỗi bao bì", receiver_name="Công ty Dược Hậu Giang")
    assert response.status_code == 201, response.json
    assert response.json["receiver_name"] == "Công ty Dược Hậu Giang"
    assert [(x["unit"], x["quantity"], x["base_quantity"]) for x in response.json["lines"]] == [("Vỉ", 2, 20)]
    assert desk.lots()["LATE"] == 80


def test_more_than_on_hand_is_409_with_what_is_available_expired_included(desk):
    from pharmacy.models import GoodsIssue

    response = desk.issue([line("SOON", 5, desk=desk), line("OLD", 51, desk=desk)])
    assert response.status_code == 409
    assert "lines[1].quantity" in response.json["errors"]
    # what is left for this line once the earlier lines of the same request are counted
    assert {row["lot"]: row["quantity"] for row in response.json["available"]} == {"OLD": 50, "SOON": 15, "LATE": 100}
    assert desk.count(GoodsIssue) == 0
    assert desk.lots() == {"OLD": 50, "SOON": 20, "LATE": 100}


def test_one_lot_number_with_two_expiries_is_taken_earliest_first_or_as_named(books, desk):
    later = date.today() + timedelta(days=700)
    books.receive(desk.store, desk.product, "LATE", later, 10)
    both = desk.issue([line("LATE", 105, desk=desk)])
    assert both.status_code == 201, both.json
    assert [(x["expiry"], x["base_quantity"]) for x in both.json["lines"]] == [
        ((date.today() + timedelta(days=400)).isoformat(), 100), (later.isoformat(), 5)]
    named = desk.issue([line("LATE", 5, desk=desk, expiry=later.isoformat())])
    assert named.status_code == 201 and desk.mismatches() == []


def test_bad_issue_input_names_the_field_and_writes_nothing(desk):
    from pharmacy.models import GoodsIssue, Movement

    cases = [
        ("note", {"note": ""}),
        ("note", {"note": "   "}),
        ("kind", {"kind": "gift"}),
        ("lines", {"lines": []}),
        ("lines[0].lot", {"lines": [line("NOPE", 1, desk=desk)]}),
        ("lines[0].lot", {"lines": [{"product_id": desk.product, "unit": "Viên", "quantity": 1}]}),
        ("lines[0].unit", {"lines": [line("OLD", 1, "Thùng", desk=desk)]}),
        ("lines[0].product_id", {"lines": [line("OLD", 1, product=99999, desk=desk)]}),
        ("lines[0].quantity", {"lines": [line("OLD", -1, desk=desk)]}),
        ("store_id", {"store_id": "1"}),
    ]
    for field, change in cases:
        body = {"store_id": desk.store, "kind": "destruction", "note": "Hủy", "lines": [line("OLD", 1, desk=desk)],
                **change}
        response = desk.api.post("/api/v1/issues", json=body)
        assert response.status_code == 422, (field, response.json)
        assert field in response.json["errors"], (field, response.json)
    assert desk.count(GoodsIssue) == 0
    assert desk.count(Movement, Movement.kind == "issue") == 0


def test_issues_are_listed_and_shown_only_to_their_store(books, desk):
    created = desk.issue([line("OLD", 1, desk=desk)]).json
    assert [x["number"] for x in desk.api.get("/api/v1/issues").json["items"]] == [created["number"]]
    assert desk.api.get(f"/api/v1/issues/{created['id']}").json == created
    other = books.store("CH02")
    books.user("ds2", stores=[other])
    stranger = books.api("ds2")
    assert stranger.get(f"/api/v1/issues/{created['id']}").status_code == 404
    assert stranger.get("/api/v1/issues").json["items"] == []
    assert desk.issue([line("OLD", 1, desk=desk)], api=stranger).status_code == 403
