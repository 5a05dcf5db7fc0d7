"""The shift page: open with a float, cash in/out, close with the counted cash; the printable report; the nav link."""
from __future__ import annotations

import re

from tests.web.test_backoffice_pages import signed_in


def test_a_pharmacist_runs_a_shift_from_the_page(shop, app):
    client = signed_in(app, "ds1")
    page = client.get("/shifts").get_data(as_text=True)
    assert "Mở ca" in page and 'href="/shifts"' in page  # the nav links it
    assert client.post("/shifts/open", data={"csrf_token": client.csrf, "opening_cash": "500.000"}).status_code == 302
    sold = shop["pharmacist"].post("/api/v1/sales", json={
        "store_id": shop["store"], "lines": [{"product_id": shop["product"], "unit": "Vỉ", "quantity": 2}]})
    assert sold.status_code == 201
    shift_id = int(re.search(r'action="/shifts/(\d+)/cash"', client.get("/shifts").get_data(as_text=True)).group(1))
    moved = client.post(f"/shifts/{shift_id}/cash", data={"csrf_token": client.csrf, "kind": "out",
                                                          "amount": "100000", "reason": "Nộp chủ"})
    assert moved.status_code == 302
    page = client.get("/shifts").get_data(as_text=True)
    assert "410.000" in page  # 500 000 + 10 000 − 100 000 expected in the drawer

    refused = client.post(f"/shifts/{shift_id}/close", data={"csrf_token": client.csrf, "counted_cash": "400000"})
    assert refused.status_code == 422 and "cần ghi chú lý do" in refused.get_data(as_text=True)
    closed = client.post(f"/shifts/{shift_id}/close", data={"csrf_token": client.csrf, "counted_cash": "400000",
                                                            "note": "Thiếu tiền lẻ"})
    assert closed.status_code == 302 and closed.headers["Location"].endswith(f"/shifts/{shift_id}/report")
    report = client.get(f"/shifts/{shift_id}/report").get_data(as_text=True)
    assert "Báo cáo ca" in report and "410.000" in report and "-10.000" in report and "Thiếu tiền lẻ" in report


def test_bad_amounts_are_named_and_change_nothing(shop, app):
    client = signed_in(app, "ds1")
    bad = client.post("/shifts/open", data={"csrf_token": client.csrf, "opening_cash": "năm trăm"})
    assert bad.status_code == 422 and 'data-field="opening_cash"' in bad.get_data(as_text=True)
    assert shop["pharmacist"].get("/api/v1/shifts").json["total"] == 0


def test_another_users_shift_report_is_not_found(shop, app, books):
    shift = shop["pharmacist"].post("/api/v1/shifts", json={"store_id": shop["store"], "opening_cash": 0}).json
    books.user("ds2", stores=[shop["store"]])
    assert signed_in(app, "ds2").get(f"/shifts/{shift['id']}/report").status_code == 404
    assert signed_in(app, "owner").get(f"/shifts/{shift['id']}/report").status_code == 200


def test_the_counter_says_when_a_shift_must_be_opened_first(shop, app):
    client = signed_in(app, "ds1")
    assert 'id="shift-state"' not in client.get("/counter").get_data(as_text=True)
    shop["owner"].patch(f"/api/v1/stores/{shop['store']}", json={"require_shift": True})
    page = client.get("/counter").get_data(as_text=True)
    assert 'id="shift-state"' in page and "chỉ bán khi đã mở ca" in page
    shop["pharmacist"].post("/api/v1/shifts", json={"store_id": shop["store"], "opening_cash": 0})
    assert 'id="shift-state"' not in client.get("/counter").get_data(as_text=True)


def test_the_owner_sets_require_shift_on_the_store_page(shop, app):
    client = signed_in(app, "owner")
    store = shop["owner"].get(f"/api/v1/stores/{shop['store']}").json
    form = {key: store[key] for key in ("code", "name", "address", "phone", "national_facility_code",
                                        "national_username")}
    response = client.post(f"/admin/stores/{shop['store']}", data={**form, "csrf_token": client.csrf,
                                                                    "national_api": "legacy", "require_shift": "on"})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert shop["owner"].get(f"/api/v1/stores/{shop['store']}").json["require_shift"] is True
