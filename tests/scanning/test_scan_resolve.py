"""Resolving scans against the database, as a service and through GET /api/v1/scan."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from biip.checksums import gs1_standard_check_digit

GS = "\x1d"


def ean13(payload12: str) -> str:
    return payload12 + str(gs1_standard_check_digit(payload12))


BOX, BLISTER = ean13("893600000001"), ean13("893600000002")


@pytest.fixture
def scanned(books):
    from pharmacy.catalog.services import UnitSpec

    store = books.store("CH01")
    books.user("owner", role="owner")
    books.user("ds1", stores=[store])
    product = books.product("Amoxicillin 500mg", national_code="TQG777001", active_ingredient="Amoxicillin", units=[
        UnitSpec("Viên", 1, 900), UnitSpec("Vỉ", 10, 9000, [BLISTER]), UnitSpec("Hộp", 100, 85000, [BOX])])
    books.product("Thuốc ho Bảo Thanh", active_ingredient="Cao dược liệu")
    # "LOT2" is a lot the store knows; a separator-less scan "10LOT221SN9" could be LOT2 + serial SN9, or LOT221SN9.
    books.receive(store, product, "LOT2", date.today() + timedelta(days=60), 100)
    return {"store": store, "product": product, "api": books.api("ds1"), "app": books.app}


def resolve(app, raw, store_id):
    from pharmacy.extensions import db
    from pharmacy.scanning.resolve import resolve_scan

    with app.app_context():
        result = resolve_scan(db.session, raw, store_id=store_id, today=date.today(), separators=(GS, "|"))
        return result, (result.product.name if result.product else None), (result.unit.name if result.unit else None)


def test_ean13_resolves_to_the_product_and_the_unit_of_that_barcode(scanned):
    result, product, unit = resolve(scanned["app"], BLISTER, scanned["store"])
    assert (result.status, product, unit) == ("product", "Amoxicillin 500mg", "Vỉ")
    assert [lot.lot for lot in result.known_lots] == ["LOT2"] and result.known_lots[0].near_expiry


def test_datamatrix_with_gs_gives_lot_and_expiry(scanned):
    scan = f"]d2010{BOX}17271231" + "10NEWLOT" + GS + "21SN1"
    result, product, unit = resolve(scanned["app"], scan, scanned["store"])
    assert (product, unit, result.lot, result.expiry, result.serial) == (
        "Amoxicillin 500mg", "Hộp", "NEWLOT", date(2027, 12, 31), "SN1")
    assert not result.lot_known and not result.needs_lot_confirmation


def test_substitute_separator_and_gs1_128_prefix_work_too(scanned):
    result, _product, unit = resolve(scanned["app"], f"]C1010{BOX}10LOT2|17270600", scanned["store"])
    assert (unit, result.lot, result.expiry, result.lot_known) == ("Hộp", "LOT2", date(2027, 6, 30), True)


def test_ambiguous_lot_prefers_the_lot_the_store_knows(scanned):
    result, _product, _unit = resolve(scanned["app"], f"]d2010{BOX}1727123110LOT221SN9", scanned["store"])
    assert (result.lot, result.serial, result.lot_known, result.needs_lot_confirmation) == ("LOT2", "SN9", True, False)


def test_ambiguous_lot_unknown_to_the_store_is_asked_not_guessed(scanned, books):
    other = books.store("CH02")
    result, _product, _unit = resolve(scanned["app"], f"]d2010{BOX}1727123110LOT221SN9", other)
    assert result.needs_lot_confirmation and result.lot is None
    assert {c.lot for c in result.lot_candidates} >= {"LOT2", "LOT221SN9"}


def test_text_searches_without_diacritics_and_national_code_wins(scanned):
    result, _p, _u = resolve(scanned["app"], "thuoc ho", scanned["store"])
    assert result.status == "search" and [p.name for p in result.results] == ["Thuốc ho Bảo Thanh"]
    result, _p, _u = resolve(scanned["app"], "amox 500", scanned["store"])
    assert [p.name for p in result.results] == ["Amoxicillin 500mg"]
    result, _p, _u = resolve(scanned["app"], "TQG777001", scanned["store"])
    assert [p.name for p in result.results] == ["Amoxicillin 500mg"]


def test_unknown_gtin_is_not_found_and_bad_check_digit_invalid(scanned):
    assert resolve(scanned["app"], ean13("893999999999"), scanned["store"])[0].status == "not_found"
    assert resolve(scanned["app"], BOX[:-1] + str((int(BOX[-1]) + 1) % 10), scanned["store"])[0].status == "invalid"


def test_in_house_code_resolves_after_it_is_assigned(scanned, books):
    from pharmacy.catalog.models import Barcode, Product
    from pharmacy.extensions import db
    from pharmacy.scanning.labels import internal_code

    with scanned["app"].app_context():
        product = db.session.get(Product, scanned["product"])
        product.base_unit.barcodes.append(Barcode(code=internal_code(product.id), internal=True))
        db.session.commit()
    result, product, unit = resolve(scanned["app"], internal_code(scanned["product"]), scanned["store"])
    assert (result.scan.kind, product, unit) == ("internal", "Amoxicillin 500mg", "Viên")


def test_scan_api_answers_product_unit_lot_and_expiry(scanned):
    api, store = scanned["api"], scanned["store"]
    code = f"]d2010{BOX}17271231" + "10LOT2" + GS + "21SN1"
    response = api.get("/api/v1/scan", query_string={"code": code, "store_id": store})
    assert response.status_code == 200, response.json
    body = response.json
    assert (body["status"], body["kind"], body["product"]["name"], body["unit"]) == (
        "product", "gs1", "Amoxicillin 500mg", "Hộp")
    assert (body["lot"], body["expiry"], body["lot_known"]) == ("LOT2", "2027-12-31", True)


def test_scan_api_text_gives_results_and_unknown_code_a_clear_404(scanned):
    api, store = scanned["api"], scanned["store"]
    found = api.get("/api/v1/scan", query_string={"code": "para", "store_id": store})
    assert found.status_code == 200 and found.json["status"] == "search"
    nothing = api.get("/api/v1/scan", query_string={"code": "zzzz", "store_id": store})
    assert nothing.status_code == 200 and nothing.json["results"] == []
    unknown = api.get("/api/v1/scan", query_string={"code": ean13("893999999999"), "store_id": store})
    assert unknown.status_code == 404 and "893999999999" in unknown.json["message"]
    assert unknown.json["errors"]["code"]
    bad = api.get("/api/v1/scan", query_string={"code": BOX[:-1] + str((int(BOX[-1]) + 1) % 10)})
    assert bad.status_code == 422 and bad.json["reason"] == "check_digit"


def test_scan_api_refuses_another_stores_lots(scanned, books):
    other = books.store("CH02")
    response = scanned["api"].get("/api/v1/scan", query_string={"code": BOX, "store_id": other})
    assert response.status_code == 403
