"""Dosage labels: a line sold out of its pack prints a 50×30 mm label from the receipt (compliance §6)."""
from __future__ import annotations

from tests.web.test_backoffice_pages import signed_in


def test_a_line_sold_out_of_its_pack_gets_a_label_from_the_receipt(shop, app):
    lines = [{"product_id": shop["product"], "unit": "Viên", "quantity": 10, "directions": "S1 C1 SA x5"},
             {"product_id": shop["product"], "unit": "Hộp", "quantity": 1}]
    sale = shop["pharmacist"].post("/api/v1/sales", json={"store_id": shop["store"], "lines": lines,
                                                          "customer_name": "Lê Thị Hoa"}).json
    client = signed_in(app, "ds1")
    receipt = client.get(f"/sales/{sale['id']}/receipt").get_data(as_text=True)
    assert "Uống: sáng 01 viên, chiều 01 viên, sau ăn. Dùng 5 ngày." in receipt
    assert f'href="/sales/{sale["id"]}/dosage-labels"' in receipt
    page = client.get(f"/sales/{sale['id']}/dosage-labels").get_data(as_text=True)
    assert page.count('class="dosage-label"') == 1  # the box was sold in its pack: no label
    label = page[page.index('class="dosage-label"'):]
    for expected in ("Paracetamol 500mg", "500mg", "10 Viên", "SOON", "Uống: sáng 01 viên, chiều 01 viên",
                     "Lê Thị Hoa", "Nhà thuốc CH01"):
        assert expected in label, expected


def test_a_sale_in_whole_packs_offers_no_label(shop, app):
    lines = [{"product_id": shop["product"], "unit": "Hộp", "quantity": 1}]
    sale = shop["pharmacist"].post("/api/v1/sales", json={"store_id": shop["store"], "lines": lines}).json
    client = signed_in(app, "ds1")
    assert "dosage-labels" not in client.get(f"/sales/{sale['id']}/receipt").get_data(as_text=True)
    assert 'class="dosage-label"' not in client.get(f"/sales/{sale['id']}/dosage-labels").get_data(as_text=True)
