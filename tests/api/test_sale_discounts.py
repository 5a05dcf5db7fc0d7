"""Discounts (issue 16): a line's (percent or amount) and the cart's, spread so the lines add up to the net total;
a pharmacist's ceiling per store, lifted only by an owner's password; returns and voids refund the net."""
from __future__ import annotations

import pytest

from pharmacy.sales.discounts import price_lines


def sell(api, shop, lines, **body):
    return api.post("/api/v1/sales", json={"store_id": shop["store"], "lines": lines, **body})


def line(shop, quantity=3, unit="Viên", **discount):
    return {"product_id": shop["product"], "unit": unit, "quantity": quantity, **discount}


@pytest.fixture
def ceiling(shop):
    response = shop["owner"].patch(f"/api/v1/stores/{shop['store']}", json={"pharmacist_max_discount_percent": 10})
    assert response.status_code == 200 and response.json["pharmacist_max_discount_percent"] == 10
    return shop


def test_cart_shares_add_up_exactly():
    prices = price_lines([{}, {"discount_percent": 10}, {"discount_amount": 1}], [1000, 3333, 7], 1001)
    assert sum(p.cart_share for p in prices) == 1001 and [p.discount for p in prices] == [0, 333, 1]
    assert sum(p.net for p in prices) == 1000 + 3333 + 7 - 333 - 1 - 1001


def test_line_and_cart_discounts_within_the_ceiling(ceiling):
    shop = ceiling
    lines = [line(shop, 10, discount_percent=5), line(shop, 1, "Vỉ", discount_amount=200)]
    sale = sell(shop["pharmacist"], shop, lines, discount_amount=300, discount_reason="Khách quen")
    assert sale.status_code == 201, sale.json
    body = sale.json
    assert [row["discount_amount"] for row in body["lines"]] == [250, 200]
    assert body["gross"] == 10_000 and body["discount_amount"] == 300 and body["discount_total"] == 750
    assert body["total"] == 9_250 == sum(row["amount"] for row in body["lines"])
    assert sum(row["cart_discount_share"] for row in body["lines"]) == 300
    assert body["discount_reason"] == "Khách quen"


def test_above_the_ceiling_needs_an_owners_password(ceiling, books):
    shop = ceiling
    refused = sell(shop["pharmacist"], shop, [line(shop, 10, discount_percent=20)])
    assert refused.status_code == 403 and "lines[0].discount_amount" in refused.json["errors"]
    cart = sell(shop["pharmacist"], shop, [line(shop, 10, discount_percent=5)], discount_amount=600,
                discount_reason="Khuyến mãi")
    assert cart.status_code == 403 and "approval" in cart.json["errors"]
    wrong = sell(shop["pharmacist"], shop, [line(shop, 10, discount_percent=20)],
                 approval={"username": "owner", "password": "not-the-password"})
    assert wrong.status_code == 422 and "approval" in wrong.json["errors"]
    books.user("ds2", stores=[shop["store"]])
    not_owner = sell(shop["pharmacist"], shop, [line(shop, 10, discount_percent=20)],
                     approval={"username": "ds2", "password": "secret-pass-1"})
    assert not_owner.status_code == 403 and "approval" in not_owner.json["errors"]
    assert shop["pharmacist"].get("/api/v1/sales").json["total"] == 0
    approved = sell(shop["pharmacist"], shop, [line(shop, 10, discount_percent=20)], discount_reason="Khách quen",
                    approval={"username": "owner", "password": "secret-pass-1"})
    assert approved.status_code == 201 and approved.json["total"] == 4_000
    by_owner = sell(shop["owner"], shop, [line(shop, 10, discount_percent=50)], discount_reason="Hàng cận date")
    assert by_owner.status_code == 201 and by_owner.json["total"] == 2_500


@pytest.mark.parametrize("lines, body, field", [
    ([{"discount_percent": 5, "discount_amount": 10}], {}, "lines[0].discount_percent"),
    ([{"discount_percent": 101}], {}, "lines[0].discount_percent"),
    ([{"discount_amount": 1_501}], {}, "lines[0].discount_amount"),
    ([{}], {"discount_amount": 1_501, "discount_reason": "x"}, "discount_amount"),
    ([{}], {"discount_amount": 100}, "discount_reason"),
    ([{"discount_percent": 5}], {}, "discount_reason"),  # a line's discount needs its reason too
    ([{"discount_percent": 1.5}], {}, "lines[0].discount_percent"),
])
def test_bad_discounts_are_a_422_naming_the_field_and_sell_nothing(shop, lines, body, field):
    response = sell(shop["owner"], shop, [line(shop, 3, **lines[0])], **body)
    assert response.status_code == 422, response.json
    assert field in response.json["errors"], response.json
    assert shop["owner"].get("/api/v1/sales").json["total"] == 0


def test_returns_and_voids_refund_what_was_paid(shop):
    sale = sell(shop["owner"], shop, [line(shop, 10, discount_amount=1_000)], discount_amount=1_000,
                discount_reason="Khách quen").json
    assert sale["total"] == 3_000
    returned = shop["owner"].post(f"/api/v1/sales/{sale['id']}/returns", json={
        "reason": "Thừa", "lines": [{"sale_line_id": sale["lines"][0]["id"], "quantity": 5, "unit": "Viên"}]})
    assert returned.status_code == 201, returned.json
    assert returned.json["refund_total"] == 1_500
    voided = shop["owner"].post(f"/api/v1/sales/{sale['id']}/void", json={"reason": "Hủy"})
    assert voided.status_code == 201 and voided.json["void"]["refund"] == 1_500, voided.json


def test_owner_reports_count_revenue_net_of_discounts(shop):
    from pharmacy.clock import local_today

    sell(shop["owner"], shop, [line(shop, 10, discount_percent=10)], discount_amount=500, discount_reason="KM")
    today = local_today().isoformat()
    period = {"date_from": today, "date_to": today}
    for group_by in ("day", "product"):
        body = shop["owner"].get("/api/v1/reports/sales", query_string={**period, "group_by": group_by}).json
        assert body["totals"]["revenue"] == 4_000, body  # 5.000 gross − 500 line − 500 sale
        assert (body["totals"]["gross"], body["totals"]["discount"]) == (5_000, 1_000), body
        assert body["totals"]["gross_margin"] == 4_000 - body["totals"]["cost"]  # the margin is on the net


def test_sale_page_and_receipt_show_gross_discount_and_net(shop, app):
    from tests.security.conftest import signed_in

    sale = sell(shop["owner"], shop, [line(shop, 10, discount_amount=1_000)], discount_amount=500,
                discount_reason="Khách quen").json
    client = signed_in(app, "ds1")
    for path in (f"/sales/{sale['id']}", f"/sales/{sale['id']}/receipt"):
        page = client.get(path).get_data(as_text=True)
        assert "Chiết khấu" in page and "Khách quen" in page, path
        assert "5.000" in page and "1.500" in page and "3.500" in page, path


def preview(api, shop, lines, **body):
    return api.post("/api/v1/counter/preview", json={"store_id": shop["store"], "lines": lines, **body})


def test_the_counter_preview_nets_the_discounts_as_the_sale_will(ceiling):
    shop = ceiling
    lines = [line(shop, 10, discount_percent=5), line(shop, 1, "Vỉ", discount_amount=200)]
    shown = preview(shop["pharmacist"], shop, lines, discount_amount=300, payment_method="cash",
                    amount_tendered=10_000).json
    assert [row["discount_amount"] for row in shown["lines"]] == [250, 200]
    assert [row["gross"] for row in shown["lines"]] == [5_000, 5_000]
    assert sum(row["cart_discount_share"] for row in shown["lines"]) == 300
    assert (shown["gross"], shown["discount_total"], shown["total"]) == (10_000, 750, 9_250)
    assert shown["total"] == sum(row["amount"] for row in shown["lines"]) and shown["change"] == 750
    assert shown["needs_approval"] is False and shown["max_discount_percent"] == 10
    sold = sell(shop["pharmacist"], shop, lines, discount_amount=300, discount_reason="Khách quen").json
    assert [row["amount"] for row in sold["lines"]] == [row["amount"] for row in shown["lines"]]


def test_the_counter_preview_says_when_an_owner_must_approve(ceiling):
    shop = ceiling
    above = preview(shop["pharmacist"], shop, [line(shop, 10, discount_percent=20)]).json
    assert above["needs_approval"] is True and above["total"] == 4_000
    by_owner = preview(shop["owner"], shop, [line(shop, 10, discount_percent=20)]).json
    assert by_owner["needs_approval"] is False and by_owner["max_discount_percent"] is None


@pytest.mark.parametrize(("lines", "body", "field"), [
    ([{"discount_percent": 5, "discount_amount": 10}], {}, "lines[0].discount_percent"),
    ([{"discount_percent": 101}], {}, "lines[0].discount_percent"),
    ([{"discount_amount": 1_501}], {}, "lines[0].discount_amount"),
    ([{}], {"discount_amount": 1_501}, "discount_amount"),
])
def test_the_counter_preview_refuses_a_bad_discount_naming_the_field(shop, lines, body, field):
    answer = preview(shop["pharmacist"], shop, [{**line(shop), **extra} for extra in lines], **body)
    assert answer.status_code in (400, 422) and field in answer.json["errors"], answer.json
