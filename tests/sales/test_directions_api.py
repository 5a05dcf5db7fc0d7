"""Directions on sale lines over the API: printed text in the answer, ambiguous codes refused before any write."""
from __future__ import annotations

from sqlalchemy import func, select


def sale_count(app) -> int:
    from pharmacy.extensions import db
    from pharmacy.sales.models import Sale

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Sale))


def test_lines_carry_their_directions_in_full_vietnamese(shop):
    lines = [{"product_id": shop["product"], "unit": "Viên", "quantity": 10, "directions": "S1 C1 SA x5"},
             {"product_id": shop["product"], "unit": "Vỉ", "quantity": 1, "directions": "Ngậm khi đau họng"},
             {"product_id": shop["product"], "unit": "Viên", "quantity": 2}]
    response = shop["pharmacist"].post("/api/v1/sales", json={"store_id": shop["store"], "lines": lines})
    assert response.status_code == 201, response.json
    got = [(line["directions"], line["directions_text"]) for line in response.json["lines"]]
    assert got == [("S1 C1 SA x5", "Uống: sáng 01 viên, chiều 01 viên, sau ăn. Dùng 5 ngày."),
                   ("Ngậm khi đau họng", "Ngậm khi đau họng"), (None, None)]
    again = shop["pharmacist"].get(f"/api/v1/sales/{response.json['id']}").json
    assert again["lines"][0]["directions_text"] == got[0][1]


def test_an_ambiguous_code_is_refused_naming_its_line(shop, app):
    lines = [{"product_id": shop["product"], "unit": "Viên", "quantity": 1, "directions": "S1 C1"},
             {"product_id": shop["product"], "unit": "Viên", "quantity": 1, "directions": "S1 T1 C1"}]
    response = shop["pharmacist"].post("/api/v1/sales", json={"store_id": shop["store"], "lines": lines})
    assert response.status_code == 422
    assert "trưa (Tr) hoặc tối (To)" in response.json["errors"]["lines[1].directions"][0]
    assert sale_count(app) == 0


def test_directions_longer_than_allowed_are_refused_at_the_edge(shop):
    lines = [{"product_id": shop["product"], "unit": "Viên", "quantity": 1, "directions": "a" * 301}]
    response = shop["pharmacist"].post("/api/v1/sales", json={"store_id": shop["store"], "lines": lines})
    assert response.status_code == 422 and "lines[0].directions" in response.json["errors"]


def test_an_e_prescription_line_brings_its_cach_dung(lookup, sell):
    from connectors.sandboxes.eprescription.prescriptions import ORDINARY_CODE

    view = lookup(ORDINARY_CODE).json
    cart = [line["cart"] for line in view["lines"] if line["cart"]]
    cart[1]["directions"] = "S1 TA x14"  # typed by the pharmacist: it wins over the prescriber's text
    sold = sell(cart, {"national_code": ORDINARY_CODE})
    assert sold.status_code == 201, sold.json
    assert [line["directions_text"] for line in sold.json["lines"]] == [
        "Uống 1 viên x 3 lần/ngày, sau ăn", "Uống: sáng 01 viên, trước ăn. Dùng 14 ngày."]
