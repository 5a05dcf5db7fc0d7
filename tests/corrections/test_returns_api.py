"""Customer returns through the API: back into the lots sold from, never more than sold, refunds in whole VND."""
from __future__ import annotations

from datetime import date, timedelta

from pharmacy.catalog.services import UnitSpec


def test_return_goes_back_to_the_latest_expiring_lot_first(desk):
    sale = desk.sell()  # 3 Vỉ = 20 from SOON + 10 from LATE, 15 000 ₫
    response = desk.give_back(sale["id"], [{"sale_line_id": sale["lines"][0]["id"], "quantity": 2}],
                              reason="Khách mua thừa")
    assert response.status_code == 201, response.json
    body = response.json
    assert body["number"] == "TH-CH01-000001"
    assert [(line["lot"], line["base_quantity"]) for line in body["lines"]] == [("LATE", 10), ("SOON", 10)]
    assert body["refund_total"] == 10000
    assert (body["sale_number"], body["reason"]) == (sale["number"], "Khách mua thừa")
    assert desk.lots() == {"OLD": 50, "SOON": 10, "LATE": 100}
    assert desk.mismatches() == []


def test_a_named_lot_and_another_unit_are_honoured(desk):
    sale = desk.sell()
    line = sale["lines"][0]["id"]
    response = desk.give_back(sale["id"], [{"sale_line_id": line, "quantity": 5, "unit": "Viên", "lot": "SOON"}])
    assert response.status_code == 201, response.json
    assert [(x["lot"], x["base_quantity"], x["refund"]) for x in response.json["lines"]] == [("SOON", 5, 2500)]
    assert desk.lots()["SOON"] == 5


def test_never_more_than_sold_minus_returned_and_the_answer_says_what_is_left(desk):
    sale = desk.sell()
    line = sale["lines"][0]["id"]
    assert desk.give_back(sale["id"], [{"sale_line_id": line, "quantity": 2}]).status_code == 201
    refused = desk.give_back(sale["id"], [{"sale_line_id": line, "quantity": 2}])
    assert refused.status_code == 409
    assert refused.json["returnable"] == {"sale_line_id": line, "base_quantity": 10, "base_unit": "Viên"}
    assert "10 Viên" in refused.json["errors"]["lines[0].quantity"][0]
    from_lot = desk.give_back(sale["id"], [{"sale_line_id": line, "quantity": 11, "unit": "Viên", "lot": "SOON"}])
    assert from_lot.status_code == 409 and from_lot.json["returnable"]["base_quantity"] == 10
    twice = desk.give_back(sale["id"], [{"sale_line_id": line, "quantity": 6, "unit": "Viên"},
                                        {"sale_line_id": line, "quantity": 6, "unit": "Viên"}])
    assert twice.status_code == 409 and "lines[1].quantity" in twice.json["errors"]
    assert desk.give_back(sale["id"], [{"sale_line_id": line, "quantity": 1}]).status_code == 201
    assert desk.lots() == {"OLD": 50, "SOON": 20, "LATE": 100}
    shown = desk.api.get(f"/api/v1/sales/{sale['id']}").json
    assert shown["lines"][0]["returned_base_quantity"] == 30
    assert [r["number"] for r in shown["returns"]] == ["TH-CH01-000001", "TH-CH01-000002"]


def test_refunds_are_pro_rata_rounded_half_up_on_the_running_total(books, desk):
    odd = books.product("Men tiêu hóa", units=[UnitSpec("Gói", 1, 333), UnitSpec("Hộp", 3, 1000)])
    books.receive(desk.store, odd, "MT1", date.today() + timedelta(days=200), 9, unit="Gói")
    sale = desk.sell([{"product_id": odd, "unit": "Hộp", "quantity": 1}])
    line = sale["lines"][0]["id"]
    refunds = [desk.give_back(sale["id"], [{"sale_line_id": line, "quantity": 1, "unit": "Gói"}]).json["refund_total"]
               for _ in range(3)]
    assert refunds == [333, 334, 333]  # 333.33 → 333; 666.67 → 667 (−333); 1000 (−667): sums to the line amount


def test_bad_return_lines_name_the_field_and_write_nothing(desk):
    from pharmacy.models import CustomerReturn, Movement

    sale, other = desk.sell(), desk.sell([{"product_id": desk.product, "unit": "Viên", "quantity": 1}])
    line = sale["lines"][0]["id"]
    cases = {
        "lines[0].sale_line_id": [{"sale_line_id": other["lines"][0]["id"], "quantity": 1}],
        "lines[0].unit": [{"sale_line_id": line, "quantity": 1, "unit": "Thùng"}],
        "lines[0].lot": [{"sale_line_id": line, "quantity": 1, "lot": "OLD"}],
        "lines[1].quantity": [{"sale_line_id": line, "quantity": 1}, {"sale_line_id": line, "quantity": 0}],
        "lines[0].sale_line_id ": [{"quantity": 1}],
    }
    for field, lines in cases.items():
        response = desk.give_back(sale["id"], lines)
        assert response.status_code == 422, (field, response.json)
        assert field.strip() in response.json["errors"], (field, response.json)
    assert desk.give_back(sale["id"], []).status_code == 422
    assert desk.api.post(f"/api/v1/sales/{sale['id']}/returns", json={"lines": "x"}).status_code == 422
    assert desk.count(CustomerReturn) == 0
    assert desk.count(Movement, Movement.kind == "return") == 0


def test_returns_are_listed_and_shown_only_to_their_store(books, desk):
    sale = desk.sell()
    created = desk.give_back(sale["id"], [{"sale_line_id": sale["lines"][0]["id"], "quantity": 1}]).json
    assert [r["number"] for r in desk.api.get("/api/v1/returns").json["items"]] == [created["number"]]
    assert desk.api.get(f"/api/v1/returns/{created['id']}").json["lines"] == created["lines"]
    assert desk.api.get(f"/api/v1/sales/{sale['id']}/returns").json["items"][0]["id"] == created["id"]
    other = books.store("CH02")
    books.user("ds2", stores=[other])
    stranger = books.api("ds2")
    assert stranger.get(f"/api/v1/returns/{created['id']}").status_code == 404
    assert stranger.get("/api/v1/returns").json["items"] == []
    assert stranger.get(f"/api/v1/returns?store_id={desk.store}").status_code == 403
    assert desk.give_back(sale["id"], [{"sale_line_id": sale["lines"][0]["id"], "quantity": 1}],
                          api=stranger).status_code == 404
