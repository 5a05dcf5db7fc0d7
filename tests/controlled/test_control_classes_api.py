"""Control classes in the product API (suggested at import, confirmed by an owner) and store types and approvals."""
from __future__ import annotations

import io


def test_control_class_flags_and_owner_confirmation(shop):
    owner = shop["owner"]
    product = owner.get(f"/api/v1/products/{shop['product']}").json
    assert (product["control_class"], product["combination"], product["restricted_retail"]) == ("none", False, False)
    assert product["suggested_control_class"] is None
    changed = owner.patch(f"/api/v1/products/{shop['product']}", json={
        "control_class": "psychotropic", "combination": True, "restricted_retail": True})
    assert changed.status_code == 200, changed.json
    assert (changed.json["control_class"], changed.json["combination"], changed.json["restricted_retail"]) == (
        "psychotropic", True, True)
    bad = owner.patch(f"/api/v1/products/{shop['product']}", json={"control_class": "opium"})
    assert bad.status_code == 422 and "control_class" in bad.json["errors"]
    assert shop["pharmacist"].patch(f"/api/v1/products/{shop['product']}",
                                    json={"control_class": "none"}).status_code == 403


def test_import_suggests_the_class_from_a_12_digit_registration_number(app, shop):
    from pharmacy.catalog.importer import COLUMNS, import_catalog
    from pharmacy.extensions import db

    row = {"national_code": "TQG777", "name": "Morphin 10mg", "active_ingredient": "Morphin", "strength": "10mg",
           "dosage_form": "Tiêm", "route": "Tiêm", "registration_no": "893111000777", "manufacturer": "",
           "country": "VN", "prescription_only": "1", "base_unit": "Ống", "units": "", "barcodes": "",
           "base_price": "20000", "dosage": ""}
    text = ",".join(COLUMNS) + "\n" + ",".join(row[column] for column in COLUMNS) + "\n"
    with app.app_context():
        import_catalog(db.session, io.BytesIO(text.encode()))
        db.session.commit()
    owner = shop["owner"]
    found = owner.get("/api/v1/products", query_string={"national_code": "TQG777"}).json["items"][0]
    assert found["control_class"] == "none" and found["suggested_control_class"] == "narcotic"
    confirmed = owner.patch(f"/api/v1/products/{found['id']}", json={"control_class": "narcotic"}).json
    assert confirmed["control_class"] == "narcotic" and confirmed["suggested_control_class"] is None


def test_store_type_and_approvals(shop):
    owner = shop["owner"]
    store = owner.get(f"/api/v1/stores/{shop['store']}").json
    assert store["store_type"] == "nha_thuoc" and store["approved_control_classes"] == []
    changed = owner.patch(f"/api/v1/stores/{shop['store']}", json={
        "store_type": "quay_thuoc", "approved_control_classes": ["toxic"]})
    assert changed.status_code == 200
    assert (changed.json["store_type"], changed.json["approved_control_classes"]) == ("quay_thuoc", ["toxic"])
    bad = owner.patch(f"/api/v1/stores/{shop['store']}", json={"store_type": "kho"})
    assert bad.status_code == 422 and "store_type" in bad.json["errors"]
    bad = owner.patch(f"/api/v1/stores/{shop['store']}", json={"approved_control_classes": ["none"]})
    assert bad.status_code == 422 and any(key.startswith("approved_control_classes") for key in bad.json["errors"])


def test_owner_sets_store_type_and_approvals_on_the_stores_page(app, shop):
    from tests.web.test_backoffice_pages import signed_in

    client = signed_in(app, "owner")
    page = client.get(f"/admin/stores/{shop['store']}").get_data(as_text=True)
    assert "Được phép bán thuốc kiểm soát đặc biệt" in page and "gây nghiện" in page
    form = {"csrf_token": client.csrf, "code": "CH01", "name": "Nhà thuốc CH01", "national_api": "legacy",
            "pharmacist_max_discount_percent": "0", "store_type": "nha_thuoc",
            "approved_control_classes": ["narcotic", "psychotropic", "bogus"]}
    assert client.post(f"/admin/stores/{shop['store']}", data=form).status_code == 302
    store = shop["owner"].get(f"/api/v1/stores/{shop['store']}").json
    assert store["approved_control_classes"] == ["narcotic", "psychotropic"]
    refused = client.post(f"/admin/stores/{shop['store']}", data={**form, "store_type": "kho"})
    assert refused.status_code == 422 and "Chọn nhà thuốc hoặc quầy thuốc." in refused.get_data(as_text=True)


def test_owner_confirms_the_suggested_class_on_the_product_page(app, shop):
    from pharmacy.extensions import db
    from pharmacy.models import Product
    from tests.web.test_backoffice_pages import signed_in

    with app.app_context():
        db.session.get(Product, shop["product"]).suggested_control_type = 2
        db.session.commit()
    client = signed_in(app, "owner")
    page = client.get(f"/products/{shop['product']}").get_data(as_text=True)
    assert "Số đăng ký gợi ý nhóm: hướng thần" in page
    form = {"csrf_token": client.csrf, "name": "Paracetamol 500mg", "active_ingredient": "Paracetamol",
            "registration_no": "VD-1-23", "active": "on", "control_class": "none",
            "unit_name": ["Viên", "Vỉ", "Hộp"], "unit_factor": ["1", "10", "100"],
            "unit_price": ["500", "5000", "48000"], "unit_barcodes": ["", "", ""]}
    assert client.post(f"/products/{shop['product']}", data=form).status_code == 302
    unchanged = shop["owner"].get(f"/api/v1/products/{shop['product']}").json
    assert unchanged["suggested_control_class"] == "psychotropic"  # saved without choosing: still waiting
    assert client.post(f"/products/{shop['product']}", data={**form, "control_class": "psychotropic",
                                                             "combination": "on"}).status_code == 302
    confirmed = shop["owner"].get(f"/api/v1/products/{shop['product']}").json
    assert (confirmed["control_class"], confirmed["combination"], confirmed["suggested_control_class"]) == (
        "psychotropic", True, None)
