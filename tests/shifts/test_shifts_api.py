"""Cash shifts over the API: the shift report balances on a fixture, and every refusal names its field."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

FLOAT = 500_000


def sell(shop, method="cash", quantity=1, api=None, **extra):
    body = {"store_id": shop["store"], "payment_method": method,
            "lines": [{"product_id": shop["product"], "unit": "Vỉ", "quantity": quantity}], **extra}
    response = (api or shop["pharmacist"]).post("/api/v1/sales", json=body)
    assert response.status_code == 201, response.json
    return response.json


def open_shift(shop, api=None, opening_cash=FLOAT):
    response = (api or shop["pharmacist"]).post("/api/v1/shifts",
                                                json={"store_id": shop["store"], "opening_cash": opening_cash})
    assert response.status_code == 201, response.json
    return response.json


def count(app, model) -> int:
    from pharmacy.extensions import db

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_the_shift_report_balances(shop):
    api = shop["pharmacist"]
    shift = open_shift(shop)
    assert shift["status"] == "open" and shift["opening_cash"] == FLOAT
    first, second = sell(shop, quantity=2), sell(shop, quantity=1)      # 10 000 + 5 000 cash
    sell(shop, "card", quantity=3)                                      # 15 000 card
    bank = {"bank_bin": "970436", "bank_account": "0071000123456", "bank_account_name": "NHA THUOC THU"}
    assert shop["owner"].patch(f"/api/v1/stores/{shop['store']}", json=bank).status_code == 200
    sell(shop, "bank_transfer", quantity=1)                             # 5 000 transfer (VietQR, awaiting payment)
    lines = [{"sale_line_id": first["lines"][0]["id"], "quantity": 1, "unit": "Vỉ"}]
    returned = api.post(f"/api/v1/sales/{first['id']}/returns", json={"lines": lines, "reason": "Dị ứng"})
    assert returned.status_code == 201, returned.json                   # −5 000 cash
    voided = api.post(f"/api/v1/sales/{second['id']}/void", json={"reason": "Bán nhầm"})
    assert voided.status_code == 201, voided.json                       # −5 000 cash
    for kind, amount in (("in", 200_000), ("out", 50_000)):
        moved = api.post("/api/v1/cash-movements", json={"shift_id": shift["id"], "kind": kind, "amount": amount,
                                                         "reason": "Đổi tiền lẻ" if kind == "in" else "Nộp chủ"})
        assert moved.status_code == 201, moved.json

    expected = FLOAT + 15_000 - 5_000 - 5_000 + 200_000 - 50_000
    report = api.get(f"/api/v1/shifts/{shift['id']}").json
    assert report["expected_cash"] == expected
    closed = api.post(f"/api/v1/shifts/{shift['id']}/close", json={"counted_cash": expected})
    assert closed.status_code == 200, closed.json
    body = closed.json
    assert (body["expected_cash"], body["counted_cash"], body["difference"]) == (expected, expected, 0)
    cash = body["by_payment_method"]["cash"]
    assert (cash["sales_count"], cash["sales"], cash["refunds_count"], cash["refunds"], cash["net"]) == \
        (2, 15_000, 2, 10_000, 5_000)
    assert body["by_payment_method"]["card"]["sales"] == 15_000
    assert body["by_payment_method"]["bank_transfer"]["sales"] == 5_000
    assert (body["cash_in"], body["cash_out"], body["status"]) == (200_000, 50_000, "closed")
    # The balance identity over every method: opening + net cash + in − out = expected.
    assert body["opening_cash"] + cash["net"] + body["cash_in"] - body["cash_out"] == body["expected_cash"]

    sell(shop, quantity=4)  # after the close: not this shift's
    again = api.get(f"/api/v1/shifts/{shift['id']}").json
    assert again["by_payment_method"]["cash"]["sales"] == 15_000 and again["expected_cash"] == expected


def test_a_difference_needs_a_note_and_is_kept(shop):
    api = shop["pharmacist"]
    shift = open_shift(shop)
    sell(shop, quantity=1)
    refused = api.post(f"/api/v1/shifts/{shift['id']}/close", json={"counted_cash": FLOAT})
    assert refused.status_code == 422 and "note" in refused.json["errors"]
    closed = api.post(f"/api/v1/shifts/{shift['id']}/close", json={"counted_cash": FLOAT, "note": "Thối nhầm"})
    assert closed.status_code == 200
    assert (closed.json["expected_cash"], closed.json["difference"], closed.json["note"]) == \
        (FLOAT + 5_000, -5_000, "Thối nhầm")
    twice = api.post(f"/api/v1/shifts/{shift['id']}/close", json={"counted_cash": FLOAT})
    assert twice.status_code == 409
    late = api.post("/api/v1/cash-movements", json={"shift_id": shift["id"], "kind": "in", "amount": 1,
                                                   "reason": "x"})
    assert late.status_code == 409 and "shift_id" in late.json["errors"]


def test_a_store_that_requires_shifts_refuses_sales_without_one(shop, app):
    from pharmacy.sales.models import Sale

    owner, api = shop["owner"], shop["pharmacist"]
    patched = owner.patch(f"/api/v1/stores/{shop['store']}", json={"require_shift": True})
    assert patched.status_code == 200 and patched.json["require_shift"] is True
    body = {"store_id": shop["store"], "lines": [{"product_id": shop["product"], "unit": "Vỉ", "quantity": 1}]}
    refused = api.post("/api/v1/sales", json=body)
    assert refused.status_code == 422 and "shift" in refused.json["errors"]
    assert count(app, Sale) == 0
    shift = open_shift(shop)
    sale = sell(shop)
    closed = api.post(f"/api/v1/shifts/{shift['id']}/close", json={"counted_cash": FLOAT + 5_000})
    assert closed.status_code == 200
    void = api.post(f"/api/v1/sales/{sale['id']}/void", json={"reason": "Bán nhầm"})
    assert void.status_code == 422 and "shift" in void.json["errors"]


def test_one_open_shift_per_user_and_store(shop):
    open_shift(shop)
    again = shop["pharmacist"].post("/api/v1/shifts", json={"store_id": shop["store"], "opening_cash": 0})
    assert again.status_code == 409 and "store_id" in again.json["errors"]
    assert open_shift(shop, api=shop["owner"])["status"] == "open"  # the owner's own drawer


@pytest.mark.parametrize(("path", "body", "field"), [
    ("/api/v1/shifts", {"store_id": "x", "opening_cash": 0}, "store_id"),
    ("/api/v1/shifts", {"store_id": 1, "opening_cash": -1}, "opening_cash"),
    ("/api/v1/shifts", {"store_id": 1, "opening_cash": 1.5}, "opening_cash"),
    ("/api/v1/shifts", {"store_id": 1}, "opening_cash"),
    ("/api/v1/cash-movements", {"shift_id": 1, "kind": "sideways", "amount": 1, "reason": "x"}, "kind"),
    ("/api/v1/cash-movements", {"shift_id": 1, "kind": "in", "amount": 0, "reason": "x"}, "amount"),
    ("/api/v1/cash-movements", {"shift_id": 1, "kind": "in", "amount": 5, "reason": ""}, "reason"),
])
def test_bad_input_names_the_field_and_writes_nothing(shop, app, path, body, field):
    from pharmacy.shifts.models import CashMovement, Shift

    if "shift_id" in body:
        body["shift_id"] = open_shift(shop)["id"]
    before = count(app, Shift), count(app, CashMovement)
    response = shop["pharmacist"].post(path, json=body)
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]
    assert (count(app, Shift), count(app, CashMovement)) == before


def test_taking_out_more_than_the_drawer_holds_is_refused(shop):
    shift = open_shift(shop, opening_cash=10_000)
    out = shop["pharmacist"].post("/api/v1/cash-movements", json={"shift_id": shift["id"], "kind": "out",
                                                                  "amount": 10_001, "reason": "Nộp chủ"})
    assert out.status_code == 422 and "amount" in out.json["errors"]


def test_shifts_are_listed_by_page_and_private_to_their_user(shop, books):
    books.user("ds2", stores=[shop["store"]])
    other = books.api("ds2")
    mine = open_shift(shop)
    listed = shop["pharmacist"].get("/api/v1/shifts?per_page=1&status=open").json
    assert (listed["total"], listed["page"], listed["per_page"]) == (1, 1, 1)
    assert listed["items"][0]["id"] == mine["id"]
    assert other.get("/api/v1/shifts").json["total"] == 0
    assert other.get(f"/api/v1/shifts/{mine['id']}").status_code == 404
    assert other.post(f"/api/v1/shifts/{mine['id']}/close", json={"counted_cash": FLOAT}).status_code == 404
    assert shop["owner"].get("/api/v1/shifts").json["total"] == 1
    assert shop["pharmacist"].get("/api/v1/shifts?per_page=201").status_code == 422


def test_a_retried_cash_movement_is_recorded_once(shop):
    api = shop["pharmacist"]
    shift = open_shift(shop)
    body = {"shift_id": shift["id"], "kind": "in", "amount": 50_000, "reason": "Tiền lẻ"}
    headers = {**api.headers, "Idempotency-Key": "cash-1"}
    first = api.client.post("/api/v1/cash-movements", json=body, headers=headers)
    again = api.client.post("/api/v1/cash-movements", json=body, headers=headers)
    assert (first.status_code, again.status_code, first.json["id"]) == (201, 201, again.json["id"])
    assert api.get(f"/api/v1/shifts/{shift['id']}").json["cash_in"] == 50_000


def test_the_shift_report_has_the_discounts_given_and_still_balances(shop, app):
    from tests.web.test_backoffice_pages import signed_in

    assert shop["owner"].patch(f"/api/v1/stores/{shop['store']}",
                               json={"pharmacist_max_discount_percent": 20}).status_code == 200
    shift = open_shift(shop)
    lines = [{"product_id": shop["product"], "unit": "Vỉ", "quantity": 2, "discount_percent": 10}]
    sell(shop, lines=lines, discount_amount=500, discount_reason="Khách quen")  # 10 000 − 1 000 − 500 cash
    sell(shop, "card", quantity=1)                                              # 5 000, no discount
    closed = shop["pharmacist"].post(f"/api/v1/shifts/{shift['id']}/close", json={"counted_cash": FLOAT + 8_500})
    assert closed.status_code == 200, closed.json
    body = closed.json
    assert (body["discounts"], body["discounted_sales"]) == (1_500, 1)
    assert body["by_payment_method"]["cash"]["sales"] == 8_500 and body["expected_cash"] == FLOAT + 8_500
    assert body["difference"] == 0
    page = signed_in(app, "ds1").get(f"/shifts/{shift['id']}/report").get_data(as_text=True)
    row = page[page.index('id="shift-discounts"'):]
    assert "Chiết khấu đã giảm" in row[:400] and "−1.500" in row[:400]
