"""Suppliers over the API: receipts on credit build a balance, payments settle the oldest first, ageing buckets
what stays open, and the receipt form's last price."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from pharmacy.clock import local_today
from pharmacy.suppliers.ageing import Owed, buckets, open_items

EXPIRY = (date.today() + timedelta(days=400)).isoformat()


def add_supplier(api, **values):
    body = {"name": "Công ty Dược phẩm Minh Long", "tax_code": "0301234567", "address": "12 Hai Bà Trưng",
            "phone": "0281234567", **values}
    response = api.post("/api/v1/suppliers", json=body)
    assert response.status_code == 201, response.json
    return response.json


def receive(shop, api=None, *, price=40_000, quantity=2, unit="Hộp", lot="NCC-1", **extra):
    body = {"store_id": shop["store"], "kind": "supplier", "lines": [
        {"product_id": shop["product"], "unit": unit, "quantity": quantity, "lot": lot, "expiry": EXPIRY,
         "unit_price": price}], **extra}
    return (api or shop["pharmacist"]).post("/api/v1/receipts", json=body)


def debt_of(owner, supplier_id):
    page = owner.get("/api/v1/supplier-debts").json
    return next(item for item in page["items"] if item["supplier"]["id"] == supplier_id)


def test_receipts_on_credit_make_a_balance_that_payments_settle(shop):
    owner = shop["owner"]
    supplier = add_supplier(shop["pharmacist"])
    invoice_day = (local_today() - timedelta(days=45)).isoformat()
    old = receive(shop, supplier_id=supplier["id"], on_credit=True, supplier_invoice_number="0001234",
                  supplier_invoice_date=invoice_day)
    assert old.status_code == 201, old.json
    assert (old.json["supplier_name"], old.json["supplier_invoice_number"], old.json["supplier_invoice_date"],
            old.json["on_credit"], old.json["total"]) == (supplier["name"], "0001234", invoice_day, True, 80_000)
    new = receive(shop, supplier_id=supplier["id"], on_credit=True, price=30_000, quantity=1, lot="NCC-2")
    assert new.status_code == 201
    assert receive(shop, supplier_id=supplier["id"], lot="NCC-3").status_code == 201  # paid on delivery

    debt = debt_of(owner, supplier["id"])
    assert (debt["owed"], debt["paid"], debt["balance"]) == (110_000, 0, 110_000)
    assert debt["ageing"] == {"0_30": 30_000, "31_60": 80_000, "61_90": 0, "over_90": 0}

    paid = owner.post("/api/v1/supplier-payments", json={"supplier_id": supplier["id"], "amount": 90_000,
                                                         "note": "CK Vietcombank"})
    assert paid.status_code == 201, paid.json
    debt = debt_of(owner, supplier["id"])
    assert (debt["paid"], debt["balance"]) == (90_000, 20_000)
    assert [(r["number"], r["open"]) for r in debt["open_receipts"]] == [(new.json["number"], 20_000)]
    assert debt["ageing"]["31_60"] == 0 and debt["ageing"]["0_30"] == 20_000

    too_much = owner.post("/api/v1/supplier-payments", json={"supplier_id": supplier["id"], "amount": 20_001})
    assert too_much.status_code == 422 and "amount" in too_much.json["errors"]
    assert owner.get("/api/v1/supplier-payments").json["total"] == 1


def test_debts_and_payments_are_for_owners(shop):
    supplier = add_supplier(shop["pharmacist"])
    assert shop["pharmacist"].get("/api/v1/supplier-debts").status_code == 403
    assert shop["pharmacist"].post("/api/v1/supplier-payments",
                                   json={"supplier_id": supplier["id"], "amount": 1}).status_code == 403
    assert shop["pharmacist"].patch(f"/api/v1/suppliers/{supplier['id']}", json={"phone": "1"}).status_code == 403


def test_suppliers_are_listed_searched_and_changed(shop):
    owner = shop["owner"]
    first = add_supplier(owner)
    add_supplier(owner, name="Phano", tax_code="0309876543-001")
    page = owner.get("/api/v1/suppliers?per_page=1").json
    assert (page["total"], len(page["items"]), page["per_page"]) == (2, 1, 1)
    assert [s["name"] for s in owner.get("/api/v1/suppliers?q=minh").json["items"]] == [first["name"]]
    assert owner.get("/api/v1/suppliers?q=0309876543-001").json["items"][0]["name"] == "Phano"
    changed = owner.patch(f"/api/v1/suppliers/{first['id']}", json={"phone": "0909000111"})
    assert changed.status_code == 200 and changed.json["phone"] == "0909000111"


@pytest.mark.parametrize(("body", "field"), [
    ({"name": ""}, "name"),
    ({"name": "X", "tax_code": "12345"}, "tax_code"),
    ({"name": "X", "tax_code": "0301234567"}, "tax_code"),  # already another supplier's
    ({"name": "X", "phone": "1" * 31}, "phone"),
])
def test_bad_supplier_input_names_the_field(shop, app, body, field):
    from pharmacy.extensions import db
    from pharmacy.suppliers.models import Supplier

    add_supplier(shop["owner"])
    response = shop["owner"].post("/api/v1/suppliers", json=body)
    assert response.status_code == 422 and field in response.json["errors"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Supplier)) == 1


@pytest.mark.parametrize(("extra", "field"), [
    ({"on_credit": True}, "supplier_id"),
    ({"supplier_id": 999}, "supplier_id"),
    ({"supplier_name": "NCC", "supplier_invoice_date": (date.today() + timedelta(days=3)).isoformat()},
     "supplier_invoice_date"),
    ({"supplier_name": "NCC", "supplier_invoice_number": "x" * 51}, "supplier_invoice_number"),
])
def test_bad_receipt_supplier_parts_are_refused(shop, extra, field):
    response = receive(shop, **extra)
    assert response.status_code in (404, 422) and field in response.json["errors"], response.json


def test_the_receipt_form_proposes_the_last_price(shop):
    supplier = add_supplier(shop["owner"])
    api = shop["pharmacist"]
    none_yet = api.get(f"/api/v1/receipts/last-price?product_id={shop['product']}&unit=Hộp")
    assert none_yet.status_code == 404
    receive(shop, supplier_id=supplier["id"], price=41_000)
    receive(shop, supplier_name="Chợ sỉ", price=39_500, lot="NCC-2")
    last = api.get(f"/api/v1/receipts/last-price?product_id={shop['product']}&unit=hộp").json
    assert (last["unit"], last["unit_price"], last["supplier_name"]) == ("Hộp", 39_500, "Chợ sỉ")
    theirs = api.get(f"/api/v1/receipts/last-price?product_id={shop['product']}&unit=Hộp"
                     f"&supplier_id={supplier['id']}").json
    assert theirs["unit_price"] == 41_000
    bad = api.get(f"/api/v1/receipts/last-price?product_id={shop['product']}&unit=Thùng")
    assert bad.status_code == 422 and "unit" in bad.json["errors"]


def test_ageing_settles_the_oldest_first():
    today = date(2026, 11, 25)
    owed = [Owed(2, "PN-2", today - timedelta(days=10), 100), Owed(1, "PN-1", today - timedelta(days=95), 50),
            Owed(3, "PN-3", today - timedelta(days=61), 70)]
    items = open_items(owed, 80, today=today)
    assert [(i.owed.number, i.open, i.age_days) for i in items] == [("PN-3", 40, 61), ("PN-2", 100, 10)]
    assert buckets(items) == {"0_30": 100, "31_60": 0, "61_90": 40, "over_90": 0}
    assert buckets(open_items(owed, 0, today=today)) == {"0_30": 100, "31_60": 0, "61_90": 70, "over_90": 50}


def test_a_retried_payment_is_recorded_once(shop):
    owner = shop["owner"]
    supplier = add_supplier(owner)
    assert receive(shop, supplier_id=supplier["id"], on_credit=True).status_code == 201
    body = {"supplier_id": supplier["id"], "amount": 10_000}
    headers = {**owner.headers, "Idempotency-Key": "pay-1"}
    first = owner.client.post("/api/v1/supplier-payments", json=body, headers=headers)
    again = owner.client.post("/api/v1/supplier-payments", json=body, headers=headers)
    assert (first.status_code, again.status_code, first.json["id"]) == (201, 201, again.json["id"])
    assert debt_of(owner, supplier["id"])["paid"] == 10_000
