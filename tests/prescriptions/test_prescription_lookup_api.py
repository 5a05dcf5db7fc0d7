"""Looking national prescriptions up at the counter: details, lines with remaining quantities, product matches,
flags, clear refusals of malformed codes, 404 for unknown ones, and 503 (record by hand) when unreachable."""
from __future__ import annotations

from connectors.sandboxes.eprescription.prescriptions import (
    CONTROLLED_CODE,
    MISSING_DRUG_CODE,
    ORDINARY_CODE,
    PARTLY_SOLD_CODE,
)
from connectors.sandboxes.kit import FAULT_503


def test_lookup_shows_the_prescription_and_fills_the_cart_with_remaining_quantities(lookup, rx_shop):
    response = lookup("  " + ORDINARY_CODE.upper() + " ")
    assert response.status_code == 200, response.json
    view = response.json
    assert view["code"] == ORDINARY_CODE and view["type"] == "c" and not view["controlled"]
    assert view["patient"]["name"] == "Nguyễn Văn An" and view["patient"]["insurance_number"] == "DN4797912345678"
    assert view["doctor"] == "BS. Trần Minh Đức" and view["facility"] == "Bệnh viện Nhân dân 115"
    assert [d["code"] for d in view["diagnoses"]] == ["J20.9", "K21.9"]
    assert view["follow_up_on"] and view["warnings"] == []
    amox, omep = view["lines"]
    assert (amox["prescribed"], amox["sold"], amox["remaining"]) == (21, 0, 21)
    assert amox["matched_by"] == "code" and amox["product"]["id"] == rx_shop["products"]["amox"]
    assert amox["cart"] == {"product_id": rx_shop["products"]["amox"], "prescription_line_id": "101",
                            "unit": "Viên", "quantity": 21}
    assert omep["cart"]["quantity"] == 14
    assert view["prescription"]["lookup_status"] == "found"


def test_partly_sold_line_shows_what_remains(lookup):
    line = lookup(PARTLY_SOLD_CODE).json["lines"][0]
    assert (line["prescribed"], line["sold"], line["remaining"]) == (30, 10, 20)
    assert line["cart"]["quantity"] == 20


def test_line_without_drug_code_offers_name_candidates_for_the_pharmacist(lookup, rx_shop):
    lines = lookup(MISSING_DRUG_CODE).json["lines"]
    assert lines[0]["matched_by"] == "code"
    assert lines[1]["product"] is None and lines[1]["cart"] is None
    assert rx_shop["products"]["para"] in [c["id"] for c in lines[1]["candidates"]]


def test_controlled_prescription_is_flagged(lookup):
    view = lookup(CONTROLLED_CODE).json
    assert view["controlled"] and "controlled" in view["warnings"] and view["type_name"] == "psychotropic"


def test_malformed_code_is_refused_with_a_clear_message(lookup):
    response = lookup("79011A3F9K2Q")
    assert response.status_code == 422
    assert "code" in response.json["errors"] and "14 ký tự" in response.json["message"]


def test_unknown_code_is_404(lookup):
    response = lookup("79011zzzzzzz-c")
    assert response.status_code == 404 and "code" in response.json["errors"]


def test_unreachable_system_says_record_by_hand(lookup, erx_faults):
    erx_faults.push(FAULT_503)
    response = lookup(ORDINARY_CODE)
    assert response.status_code == 503 and response.json["offline"] is True


def test_every_date_in_the_lookup_is_iso_8601(lookup):
    import re

    view = lookup(ORDINARY_CODE).json
    day = re.compile(r"^\d{4}-\d{2}-\d{2}$")
    assert day.match(view["patient"]["birth_date"]), view["patient"]
    assert day.match(view["validity"]["issued_on"]) and day.match(view["validity"]["expires_on"]), view["validity"]
    assert re.match(r"^\d{4}-\d{2}-\d{2}T", view["issued_at"])


def test_lookup_says_which_products_would_be_a_substitution(lookup, rx_shop):
    """The counter asks for a reason from this flag; it does not compare national codes itself."""
    view = lookup(MISSING_DRUG_CODE).json
    coded, uncoded = view["lines"]
    assert coded["product"]["substitution"] is False  # the prescribed product itself
    assert all(c["substitution"] is True for c in coded["candidates"] if c["id"] != coded["product"]["id"])
    # a prescribed line without a drug code is matched by a person: no substitution
    assert uncoded["candidates"] and all(c["substitution"] is False for c in uncoded["candidates"])
