"""The owner sets a store's bank account (VietQR) and the pharmacists' discount ceiling on the store page."""
from __future__ import annotations

from tests.security.conftest import signed_in

BASE = {"code": "CH09", "name": "Nhà thuốc Số 9", "national_api": "legacy"}


def test_owner_sets_bank_account_and_discount_ceiling(app, books):
    books.user("owner", role="owner")
    client = signed_in(app, "owner")
    created = client.post("/admin/stores", data={"csrf_token": client.csrf, **BASE, "bank_bin": "970436",
                                                 "bank_account": "0011004455667", "bank_account_name": "NT SO 9",
                                                 "pharmacist_max_discount_percent": "15"})
    assert created.status_code == 302
    store = books.api("owner").get("/api/v1/stores").json["items"][0]
    assert (store["bank_bin"], store["bank_account"], store["bank_account_name"]) == (
        "970436", "0011004455667", "NT SO 9")
    assert store["pharmacist_max_discount_percent"] == 15
    page = client.get(f"/admin/stores/{store['id']}").get_data(as_text=True)
    assert "Mã BIN ngân hàng" in page and 'value="0011004455667"' in page
    for field, value, message in (("bank_bin", "9704", "6 chữ số"),
                                  ("pharmacist_max_discount_percent", "150", "từ 0 đến 100")):
        bad = client.post(f"/admin/stores/{store['id']}", data={"csrf_token": client.csrf, **BASE,
                                                                "bank_account": "0011004455667", field: value})
        assert bad.status_code == 422 and message in bad.get_data(as_text=True), field
    assert books.api("owner").get(f"/api/v1/stores/{store['id']}").json["bank_bin"] == "970436"
