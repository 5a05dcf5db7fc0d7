"""The counter preview answers the cash rules the page shows: change, and what is still missing."""
from __future__ import annotations


def preview(shop, **payment):
    lines = [{"product_id": shop["product"], "unit": "Vỉ", "quantity": 3}]  # 15.000 ₫
    body = {"store_id": shop["store"], "lines": lines, **payment}
    return shop["pharmacist"].post("/api/v1/counter/preview", json=body)


def test_preview_gives_change_and_missing_cash(shop):
    enough = preview(shop, payment_method="cash", amount_tendered=20000).json
    assert (enough["total"], enough["change"], enough["cash_missing"]) == (15000, 5000, 0)
    short = preview(shop, payment_method="cash", amount_tendered=10000).json
    assert (short["change"], short["cash_missing"]) == (0, 5000)
    transfer = preview(shop, payment_method="bank_transfer", amount_tendered=10000).json
    assert (transfer["change"], transfer["cash_missing"]) == (0, 0)
    assert preview(shop).json["cash_missing"] == 0  # nothing typed yet
    assert preview(shop, payment_method="bitcoin").status_code == 422


def test_preview_says_how_much_could_be_sold_of_a_short_line(shop):
    lines = [{"product_id": shop["product"], "unit": "Vỉ", "quantity": 100000}]
    body = {"store_id": shop["store"], "lines": lines}
    line = shop["pharmacist"].post("/api/v1/counter/preview", json=body).json["lines"][0]
    assert line["problem"] == "insufficient" and line["available_base"] == 120  # SOON 20 + LATE 100 (OLD expired)


def test_split_units_says_base_units_in_the_line_unit_then_smaller():
    from pharmacy.catalog.units import split_units

    units = [("Viên", 1), ("Vỉ", 10), ("Hộp", 100)]
    assert split_units(381, units, "Vỉ") == [(38, "Vỉ"), (1, "Viên")]
    assert split_units(381, units, "Hộp") == [(3, "Hộp"), (8, "Vỉ"), (1, "Viên")]
    assert split_units(5, units, "Hộp") == [(5, "Viên")]
    assert split_units(0, units, "Vỉ") == [(0, "Vỉ")]
