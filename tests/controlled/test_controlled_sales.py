"""The counter's controlled-drug rules per class and store type, through the API: nothing is written on a refusal."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from .conftest import BUYER, sell


def _counts(app):
    from pharmacy.controlled.models import ControlledEntry
    from pharmacy.extensions import db
    from pharmacy.models import Sale

    with app.app_context():
        return (db.session.scalar(select(func.count(Sale.id))),
                db.session.scalar(select(func.count(ControlledEntry.id)).where(ControlledEntry.kind == "sale")))


@pytest.mark.parametrize(("name", "form"), [("narcotic", "N"), ("psychotropic", "H"), ("precursor", "H")])
def test_a_pharmacy_with_approval_sells_on_the_special_form_and_books_the_buyer(app, controlled_shop, name, form):
    shop = controlled_shop
    response = sell(shop["licensed"], shop["pharmacy"], shop["products"][name], form=form)
    assert response.status_code == 201, response.json
    from pharmacy.controlled.models import ControlledEntry
    from pharmacy.extensions import db

    with app.app_context():
        entry = db.session.scalars(select(ControlledEntry).where(ControlledEntry.kind == "sale")).one()
        assert (entry.quantity, entry.kind, entry.document_number) == (-2, "sale", response.json["number"])
        assert (entry.counterparty, entry.buyer_address, entry.buyer_id_number) == (
            BUYER["name"], BUYER["address"], BUYER["id_number"])
        assert entry.prescription_form == form and entry.doctor_name == "BS. Lê Minh"


@pytest.mark.parametrize(("name", "wrong"), [("narcotic", "H"), ("narcotic", ""), ("psychotropic", "N"),
                                             ("precursor", "")])
def test_the_wrong_prescription_form_is_refused(app, controlled_shop, name, wrong):
    shop = controlled_shop
    response = sell(shop["licensed"], shop["pharmacy"], shop["products"][name], form=wrong)
    assert response.status_code == 422
    assert "prescription.form" in response.json["errors"]
    assert _counts(app) == (0, 0)


@pytest.mark.parametrize("name", ["narcotic", "psychotropic", "precursor"])
def test_a_drug_counter_never_sells_narcotic_psychotropic_or_precursor_drugs(app, controlled_shop, name):
    shop = controlled_shop  # the counter is even "approved" for narcotic: its type still forbids it
    response = sell(shop["licensed"], shop["counter"], shop["products"][name], form="N" if name == "narcotic" else "H")
    assert response.status_code == 422
    assert response.json["control_class"] == name
    assert "Quầy thuốc" in response.json["message"] and "gây nghiện hướng thần tiền chất".find(response.json["message"].split("thuốc ")[2].split(":")[0]) >= 0
    assert _counts(app) == (0, 0)


@pytest.mark.parametrize(("store", "name", "label"), [
    ("pharmacy", "toxic", "thuốc độc"), ("pharmacy", "radioactive", "phóng xạ"),
    ("counter", "psychotropic", "hướng thần"), ("pharmacy", "banned_in_sectors", "cấm sử dụng"),
])
def test_a_store_without_approval_for_the_class_refuses_naming_it(app, controlled_shop, store, name, label):
    shop = controlled_shop
    response = sell(shop["licensed"], shop[store], shop["products"][name], form="")
    assert response.status_code == 422
    assert response.json["control_class"] == name and label in response.json["message"]
    assert "lines[0].product_id" in response.json["errors"]


def test_a_drug_counter_sells_toxic_drugs_it_is_approved_for(controlled_shop):
    shop = controlled_shop
    assert sell(shop["licensed"], shop["counter"], shop["products"]["toxic"], form="").status_code == 201


def test_only_a_licensed_pharmacist_dispenses(app, controlled_shop):
    shop = controlled_shop
    response = sell(shop["plain"], shop["pharmacy"], shop["products"]["narcotic"])
    assert response.status_code == 403 and response.json["control_class"] == "narcotic"
    assert _counts(app) == (0, 0)


def test_buyer_name_address_and_id_are_required(app, controlled_shop):
    shop = controlled_shop
    response = sell(shop["licensed"], shop["pharmacy"], shop["products"]["narcotic"], buyer=None)
    assert response.status_code == 422
    assert {"buyer.name", "buyer.address", "buyer.id_number"} <= set(response.json["errors"])
    bad_id = sell(shop["licensed"], shop["pharmacy"], shop["products"]["narcotic"], buyer={**BUYER, "id_number": "12"})
    assert bad_id.status_code == 422 and "buyer.id_number" in bad_id.json["errors"]
    assert _counts(app) == (0, 0)


def test_quantities_beyond_the_prescription_are_refused(app, controlled_shop):
    shop = controlled_shop
    response = sell(shop["licensed"], shop["pharmacy"], shop["products"]["narcotic"], quantity=6, prescribed=5)
    assert response.status_code == 422 and "lines[0].quantity" in response.json["errors"]
    missing = sell(shop["licensed"], shop["pharmacy"], shop["products"]["narcotic"], prescribed=None)
    assert missing.status_code == 422 and "lines[0].prescribed_quantity" in missing.json["errors"]
    assert sell(shop["licensed"], shop["pharmacy"], shop["products"]["narcotic"], quantity=5).status_code == 201


def test_a_prescription_is_required(controlled_shop):
    shop = controlled_shop
    response = sell(shop["licensed"], shop["pharmacy"], shop["products"]["narcotic"], prescription=False)
    assert response.status_code == 422 and "lines[0].product_id" in response.json["errors"]


def test_a_combination_product_needs_no_special_form(controlled_shop):
    shop = controlled_shop
    assert sell(shop["licensed"], shop["pharmacy"], shop["products"]["combination"], form="").status_code == 201


def test_ordinary_drugs_are_untouched_by_the_rules(controlled_shop, books):
    shop = controlled_shop
    from datetime import date, timedelta

    plain = books.product("Vitamin C")
    books.receive(shop["counter"], plain, "VC1", date.today() + timedelta(days=300), 10)
    response = shop["plain"].post("/api/v1/sales", json={"store_id": shop["counter"], "lines": [
        {"product_id": plain, "unit": "Viên", "quantity": 1}]})
    assert response.status_code == 201


def test_e_prescription_suffix_gives_the_form():
    from pharmacy.controlled.classes import form_of_code, suggested_class

    assert form_of_code("79001abc1234-n") == "N" and form_of_code("79001ABC1234-H") == "H"
    assert form_of_code("79001abc1234-c") == ""
    assert suggested_class("893111023456") == 1 and suggested_class("893114000001") == 4
    assert suggested_class("VD-1-23") is None and suggested_class("893119000001") is None


def test_the_sale_records_what_the_paper_prescription_gives_and_its_form(controlled_shop, books):
    shop = controlled_shop
    response = sell(shop["licensed"], shop["pharmacy"], shop["products"]["narcotic"], quantity=3, prescribed=5)
    assert response.status_code == 201, response.json
    sale = shop["licensed"].get(f"/api/v1/sales/{response.json['id']}").json
    assert sale["lines"][0]["prescribed_quantity"] == 5 and sale["prescription"]["form"] == "N"
    from datetime import date, timedelta

    plain = books.product("Vitamin C")  # an ordinary line keeps no prescribed quantity, even when one is sent
    books.receive(shop["pharmacy"], plain, "VC1", date.today() + timedelta(days=300), 10)
    other = shop["licensed"].post("/api/v1/sales", json={"store_id": shop["pharmacy"], "lines": [
        {"product_id": plain, "unit": "Viên", "quantity": 1, "prescribed_quantity": 1}]})
    assert other.status_code == 201 and other.json["lines"][0]["prescribed_quantity"] is None


def test_the_counter_preview_names_the_class_and_the_form_each_line_needs(controlled_shop):
    shop = controlled_shop
    products = shop["products"]
    lines = [{"product_id": products[name], "unit": "Viên", "quantity": 1}
             for name in ("narcotic", "precursor", "toxic", "combination")]
    preview = shop["licensed"].post("/api/v1/counter/preview", json={"store_id": shop["pharmacy"], "lines": lines})
    assert preview.status_code == 200, preview.json
    assert [(line["control_class"], line["prescription_form"]) for line in preview.json["lines"]] == [
        ("narcotic", "N"), ("precursor", "H"), ("toxic", ""), ("narcotic", "")]


def test_the_preview_blocks_a_line_the_store_or_seller_may_not_sell_with_the_sale_s_sentence(controlled_shop):
    shop = controlled_shop
    products = shop["products"]

    def preview(api, store, name):
        return api.post("/api/v1/counter/preview", json={"store_id": store, "lines": [
            {"product_id": products[name], "unit": "Viên", "quantity": 1}]}).json

    allowed = preview(shop["licensed"], shop["pharmacy"], "narcotic")
    assert allowed["lines"][0]["problem"] is None and allowed["can_pay"]
    for api, store, name, words in ((shop["licensed"], shop["counter"], "psychotropic", "Quầy thuốc"),
                                    (shop["licensed"], shop["pharmacy"], "toxic", "chưa được phép"),
                                    (shop["plain"], shop["pharmacy"], "narcotic", "dược sĩ")):
        answer = preview(api, store, name)
        assert answer["lines"][0]["problem"] == "controlled" and not answer["can_pay"], answer
        assert words in answer["lines"][0]["message"] and answer["total"] == answer["lines"][0]["amount"]
