"""Two stores (a nhà thuốc approved for narcotic, psychotropic and precursor drugs; a quầy thuốc approved for toxic
ones), a licensed and an unlicensed pharmacist, and one product per control class with stock."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

CLASSES = {"narcotic": 1, "psychotropic": 2, "precursor": 3, "toxic": 4, "banned_in_sectors": 5, "radioactive": 6}


@pytest.fixture
def controlled_shop(books):
    from pharmacy.catalog.services import UnitSpec

    pharmacy = books.store("NT01")
    counter = books.store("QT01")
    books.user("owner", role="owner")
    books.user("licensed", stores=[pharmacy, counter])
    books.user("plain", stores=[pharmacy, counter])
    owner = books.api("owner")
    licensed_id = owner.get("/api/v1/users", query_string={"per_page": 200}).json["items"]
    licensed_id = next(user["id"] for user in licensed_id if user["username"] == "licensed")
    assert owner.patch(f"/api/v1/users/{licensed_id}", json={"licensed_pharmacist": True}).status_code == 200
    assert owner.patch(f"/api/v1/stores/{pharmacy}", json={
        "store_type": "nha_thuoc", "approved_control_classes": ["narcotic", "psychotropic", "precursor"]}).status_code == 200
    assert owner.patch(f"/api/v1/stores/{counter}", json={
        "store_type": "quay_thuoc", "approved_control_classes": ["toxic", "narcotic"]}).status_code == 200
    products = {}
    expiry = date.today() + timedelta(days=400)
    for name, code in CLASSES.items():
        products[name] = books.product(f"Thuốc {name}", prescription_only=True, special_control_type=code,
                                       units=[UnitSpec("Viên", 1, 1000), UnitSpec("Hộp", 10, 9000)])
        for store in (pharmacy, counter):
            books.receive(store, products[name], f"L-{name[:4].upper()}", expiry, 50)
    products["combination"] = books.product("Codein phối hợp", prescription_only=True, special_control_type=1,
                                            controlled_combination=True, units=[UnitSpec("Viên", 1, 800)])
    books.receive(pharmacy, products["combination"], "L-COMB", expiry, 50)
    return {"pharmacy": pharmacy, "counter": counter, "products": products, "owner": owner,
            "licensed": books.api("licensed"), "plain": books.api("plain")}


BUYER = {"name": "Nguyễn Văn An", "address": "12 Trần Hưng Đạo, Quận 1", "id_number": "079123456789"}


def paper(form: str = "") -> dict:
    return {"doctor_name": "BS. Lê Minh", "facility_name": "BV Chợ Rẫy", "patient_name": "Nguyễn Văn An",
            "issued_on": date.today().isoformat(), "form": form}


def sell(api, store, product, *, quantity=2, prescribed=5, form="N", buyer=BUYER, prescription=True):
    line = {"product_id": product, "unit": "Viên", "quantity": quantity}
    if prescribed is not None:
        line["prescribed_quantity"] = prescribed
    body = {"store_id": store, "lines": [line]}
    if prescription:
        body["prescription"] = paper(form)
    if buyer is not None:
        body["buyer"] = buyer
    return api.post("/api/v1/sales", json=body)
