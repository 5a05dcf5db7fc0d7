"""Store e-invoice settings (PATCH /api/v1/stores/{id}), the rules presets as data, the products' VAT rate."""
from __future__ import annotations

from sqlalchemy import select

from pharmacy.einvoices.presets import preset, presets, valid_mtt_code

ON = {"einvoice_provider": "sandbox", "seller_tax_code": "0312345678", "einvoice_template": "1",
      "einvoice_symbol": "C25MAA", "einvoice_authority_code": "43836", "einvoice_rules": "decree-70-2025"}


def test_presets_are_data_with_their_legal_basis():
    assert set(presets()) == {"decree-70-2025", "decree-254-2026"}
    assert preset("decree-70-2025")["void_correction"] == "adjustment"
    assert preset("decree-254-2026")["void_correction"] == "replacement"
    assert all("Nghị định" in rules["legal_basis"] for rules in presets().values())
    assert valid_mtt_code("M1-24-43836-00600000009")
    for bad in ("M7-24-43836-00600000009", "M1-24-4383-00600000009", "M1-24-43836-0060000000", "m1-24-43836-00600000009"):
        assert not valid_mtt_code(bad)


def test_owner_turns_einvoices_on_and_the_password_is_write_only_and_encrypted(app, shop, books):
    response = shop["owner"].patch(f"/api/v1/stores/{shop['store']}", json={
        **ON, "einvoice_provider": "viettel", "einvoice_username": "0312345678", "einvoice_password": "vt-secret"})
    assert response.status_code == 200, response.json
    body = response.json
    assert body["einvoice_provider"] == "viettel" and body["has_einvoice_password"] is True
    assert "einvoice_password" not in body and "vt-secret" not in str(body)
    from pharmacy.extensions import db
    from pharmacy.stores.models import Store

    with app.app_context():
        stored = db.session.execute(select(Store.einvoice_password_encrypted)).scalars().first()
        assert stored and "vt-secret" not in stored
        assert app.extensions["pharmacy.vault"]().decrypt(stored) == "vt-secret"
    off = shop["owner"].patch(f"/api/v1/stores/{shop['store']}", json={"einvoice_provider": None})
    assert off.status_code == 200 and off.json["einvoice_provider"] is None


def test_bad_settings_name_their_field_and_write_nothing(shop):
    owner, url = shop["owner"], f"/api/v1/stores/{shop['store']}"
    cases = [({**ON, "einvoice_symbol": "K25TAA"}, "einvoice_symbol"),
             ({**ON, "seller_tax_code": "123"}, "seller_tax_code"),
             ({**ON, "einvoice_authority_code": "ab"}, "einvoice_authority_code"),
             ({**ON, "einvoice_template": "3"}, "einvoice_template"),
             ({**ON, "einvoice_rules": "decree-1"}, "einvoice_rules"),
             ({**ON, "einvoice_provider": "misa"}, "einvoice_provider"),
             ({**ON, "einvoice_provider": "viettel"}, "einvoice_username"),
             ({"einvoice_provider": "sandbox"}, "seller_tax_code")]
    for values, field in cases:
        response = owner.patch(url, json=values)
        assert response.status_code == 422, (values, response.json)
        assert field in str(response.json), (field, response.json)
    assert owner.get(url).json["einvoice_provider"] is None
    pharmacist = shop["pharmacist"].patch(url, json=ON)
    assert pharmacist.status_code == 403


def test_product_vat_rate_defaults_to_the_preset_and_accepts_only_legal_rates(shop):
    owner, url = shop["owner"], f"/api/v1/products/{shop['product']}"
    assert owner.get(url).json["vat_rate"] is None
    assert owner.patch(url, json={"vat_rate": 8}).json["vat_rate"] == 8
    bad = owner.patch(url, json={"vat_rate": 7})
    assert bad.status_code == 422 and "vat_rate" in str(bad.json)


def test_owner_turns_einvoices_on_from_the_stores_page_and_a_bad_symbol_is_shown(app, shop):
    from ..web.test_backoffice_pages import signed_in

    client = signed_in(app, "owner")
    form = {"csrf_token": client.csrf, "code": "CH01", "name": "Nhà thuốc CH01", "national_api": "legacy",
            "einvoice_provider": "viettel", "einvoice_rules": "decree-254-2026", "seller_tax_code": "0312345678",
            "einvoice_template": "2", "einvoice_symbol": "C26MAB", "einvoice_authority_code": "43836",
            "einvoice_username": "0312345678-001", "einvoice_password": "vt-pass"}
    page = client.get(f"/admin/stores/{shop['store']}").get_data(as_text=True)
    assert 'id="einvoice-settings"' in page and "Nghị định 254/2026/NĐ-CP" in page
    bad = client.post(f"/admin/stores/{shop['store']}", data={**form, "einvoice_symbol": "X1"})
    assert bad.status_code == 422 and "C25MAA" in bad.get_data(as_text=True)
    assert shop["owner"].get(f"/api/v1/stores/{shop['store']}").json["einvoice_provider"] is None
    saved = client.post(f"/admin/stores/{shop['store']}", data=form)
    assert saved.status_code == 302
    store = shop["owner"].get(f"/api/v1/stores/{shop['store']}").json
    assert (store["einvoice_provider"], store["einvoice_rules"], store["einvoice_template"]) == (
        "viettel", "decree-254-2026", "2") and store["has_einvoice_password"]
    assert "vt-pass" not in client.get(f"/admin/stores/{shop['store']}").get_data(as_text=True)
