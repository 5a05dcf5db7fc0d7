"""Selling against prescriptions through the API: lines tied to prescribed lines, never more than remains,
substitution only with a reason, hand records while the system is down, and re-checks that flag differences."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from connectors.sandboxes.eprescription.prescriptions import ORDINARY_CODE, PARTLY_SOLD_CODE, demo_prescriptions
from connectors.sandboxes.kit import FAULT_503
from pharmacy.clock import local_today

from .conftest import fill_cart


def messages(app):
    from pharmacy.extensions import db
    from pharmacy.outbox.models import OutboxMessage

    with app.app_context():
        return sorted((m.target, m.kind, m.document_number) for m in db.session.execute(
            select(OutboxMessage).where(OutboxMessage.document_type == "sale")).scalars())


def test_filled_cart_sells_and_links_every_line_to_its_prescribed_line(lookup, sell, rx_app):
    view = lookup(ORDINARY_CODE).json
    assert view["prescription"]["id"] is None  # a lookup (GET) records nothing
    sold = sell(fill_cart(view), {"national_code": ORDINARY_CODE.upper()})
    assert sold.status_code == 201, sold.json
    assert sold.json["prescription"]["id"] is not None
    assert [line["prescription_line_id"] for line in sold.json["lines"]] == ["101", "102"]
    number = sold.json["number"]
    assert messages(rx_app) == [("eprescription", "dispense", number), ("health_data", "dispense", number),
                                ("national_drug_db", "sale", number)]
    again = lookup(ORDINARY_CODE).json  # not yet reported: this store's sale still counts
    assert again["prescription"]["id"] == sold.json["prescription"]["id"]
    assert [(line["sold"], line["remaining"], line["cart"]) for line in again["lines"]] == [(21, 0, None),
                                                                                          (14, 0, None)]
    assert "fully_dispensed" in again["warnings"]


def test_overfill_is_refused_and_changes_nothing(lookup, sell, rx_shop, rx_app):
    lookup(PARTLY_SOLD_CODE)
    amlo = rx_shop["products"]["amlo"]
    refused = sell([{"product_id": amlo, "unit": "Viên", "quantity": 21}], {"national_code": PARTLY_SOLD_CODE})
    assert refused.status_code == 422 and refused.json["remaining"] == 20
    assert "lines[0].quantity" in refused.json["errors"]
    assert messages(rx_app) == []
    split = [{"product_id": amlo, "unit": "Viên", "quantity": 15}] * 2  # two lines against one prescribed line
    assert sell(split, {"national_code": PARTLY_SOLD_CODE}).status_code == 422
    assert sell([{"product_id": amlo, "unit": "Viên", "quantity": 20}],
                {"national_code": PARTLY_SOLD_CODE}).status_code == 201


def test_sale_in_packs_is_counted_in_the_prescribed_unit(lookup, sell, rx_shop):
    lookup(ORDINARY_CODE)
    omep = rx_shop["products"]["omep"]
    box = sell([{"product_id": omep, "unit": "Hộp", "quantity": 1}], {"national_code": ORDINARY_CODE})
    assert box.status_code == 422 and box.json["remaining"] == 14  # a box of 28 > 14 prescribed


def test_substitution_needs_a_reason_and_is_recorded(lookup, sell, rx_shop):
    from connectors.sandboxes.eprescription.prescriptions import MISSING_DRUG_CODE

    lookup(MISSING_DRUG_CODE)
    line = {"product_id": rx_shop["products"]["klamox"], "unit": "Viên", "quantity": 14,
            "prescription_line_id": "301"}
    missing = sell([line], {"national_code": MISSING_DRUG_CODE})
    assert missing.status_code == 422 and "lines[0].substitution_reason" in missing.json["errors"]
    given = sell([{**line, "substitution_reason": "Hết Augmentin, khách đồng ý thuốc tương đương"}],
                 {"national_code": MISSING_DRUG_CODE})
    assert given.status_code == 201, given.json
    assert given.json["lines"][0]["substitution_reason"].startswith("Hết Augmentin")


def test_prescription_drug_not_on_the_prescription_is_refused(lookup, sell, rx_shop):
    lookup(ORDINARY_CODE)
    refused = sell([{"product_id": rx_shop["products"]["amlo"], "unit": "Viên", "quantity": 1}],
                   {"national_code": ORDINARY_CODE})
    assert refused.status_code == 422 and "lines[0].prescription_line_id" in refused.json["errors"]


def test_lookup_records_nothing_the_sale_records_the_prescription(lookup, sell, rx_shop, rx_app):
    from pharmacy.extensions import db
    from pharmacy.models import Prescription

    def recorded():
        with rx_app.app_context():
            return db.session.scalar(select(func.count()).select_from(Prescription))

    for _ in range(2):
        assert lookup(ORDINARY_CODE).status_code == 200
    assert recorded() == 0
    assert rx_shop["api"].get(f"/api/v1/prescriptions/national/{ORDINARY_CODE}").status_code == 200  # one store
    assert rx_shop["owner"].get(f"/api/v1/prescriptions/national/{ORDINARY_CODE}").status_code == 422
    assert recorded() == 0


def test_sale_of_a_code_never_looked_up_looks_it_up_itself(sell, rx_shop):
    amox = rx_shop["products"]["amox"]
    sold = sell([{"product_id": amox, "unit": "Viên", "quantity": 21}], {"national_code": ORDINARY_CODE})
    assert sold.status_code == 201, sold.json
    assert sold.json["prescription"]["kind"] == "national" and sold.json["prescription"]["patient_name"]
    assert sold.json["lines"][0]["prescription_line_id"] == "101"


def test_unreachable_system_at_sale_is_503_naming_the_hand_record_then_by_hand_it_sells(sell, rx_shop, erx_faults,
                                                                                        rx_app):
    from pharmacy.extensions import db
    from pharmacy.models import Prescription, Sale

    amox = rx_shop["products"]["amox"]
    erx_faults.push(FAULT_503, count=20)
    bare = sell([{"product_id": amox, "unit": "Viên", "quantity": 21}], {"national_code": ORDINARY_CODE})
    assert bare.status_code == 503 and bare.json["offline"] is True, bare.json
    assert list(bare.json["errors"]) == ["prescription.national_code"] and "nhập tay" in bare.json["message"]
    with rx_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Sale)) == 0
        assert db.session.scalar(select(func.count()).select_from(Prescription)) == 0
    by_hand = {"national_code": ORDINARY_CODE, "doctor_name": "BS. Trần Minh Đức", "patient_name": "Nguyễn Văn Ân",
               "facility_name": "Bệnh viện Nhân dân 115", "issued_on": local_today().isoformat()}
    sold = sell([{"product_id": amox, "unit": "Viên", "quantity": 21}], by_hand)
    assert sold.status_code == 201, sold.json
    erx_faults.clear()
    prescription_id = sold.json["prescription"]["id"]
    checked = rx_shop["api"].post(f"/api/v1/prescriptions/{prescription_id}/recheck")
    assert checked.status_code == 200, checked.json
    record = checked.json["prescription"]
    assert record["lookup_status"] == "differs"
    assert record["differences"] == [{"field": "patient_name", "recorded": "Nguyễn Văn Ân",
                                      "national": "Nguyễn Văn An"}]
    assert checked.json["lines"][0]["pending_here"] == 21  # the hand-recorded sale now sits on line 101
    from tests.web.test_backoffice_pages import signed_in

    page = signed_in(rx_app, "ds1").get(f"/prescriptions/{prescription_id}").get_data(as_text=True)
    differences = page[page.index('id="rx-differences"'):]
    assert "<td>Bệnh nhân</td><td>Nguyễn Văn Ân</td>" in differences and "patient_name" not in differences


def test_paper_prescription_is_recorded_and_listed(rx_shop):
    api = rx_shop["api"]
    paper = {"store_id": rx_shop["store"], "doctor_name": "BS. Huy", "facility_name": "PK Tâm Đức",
             "patient_name": "Lê Văn Tám", "issued_on": (local_today() - timedelta(days=7)).isoformat(),
             "patient_cccd": "079123456789"}
    created = api.post("/api/v1/prescriptions", json=paper)
    assert created.status_code == 201, created.json
    assert created.json["prescription"]["kind"] == "manual" and "expired" in created.json["warnings"]
    listed = api.get(f"/api/v1/prescriptions?store_id={rx_shop['store']}").json["items"]
    assert [p["patient_name"] for p in listed] == ["Lê Văn Tám"]
    assert api.post("/api/v1/prescriptions", json={**paper, "patient_cccd": "123"}).status_code == 422


def test_non_prescription_drug_beyond_what_is_prescribed_is_an_ordinary_line(lookup, sell, rx_shop, erx):
    body = demo_prescriptions(local_today())[ORDINARY_CODE]
    code = "79011para001-c"
    erx.simulator.add_prescription({**body, "ma_don_thuoc": code, "thong_tin_don_thuoc": [
        {"id": 9, "ma_thuoc": "TQG000001", "ten_thuoc": "Paracetamol 500mg", "don_vi_tinh": "Viên", "so_luong": 10,
         "cach_dung": "Khi sốt"}]})
    lookup(code)
    para = {"product_id": rx_shop["products"]["para"], "unit": "Viên", "quantity": 16}
    sold = sell([para], {"national_code": code})
    assert sold.status_code == 201 and sold.json["lines"][0]["prescription_line_id"] is None  # 16 > 10 prescribed
    sold = sell([{**para, "quantity": 10}], {"national_code": code})
    assert sold.json["lines"][0]["prescription_line_id"] == "9"
    named = sell([{**para, "quantity": 1, "prescription_line_id": "9"}], {"national_code": code})
    assert named.status_code == 422 and named.json["remaining"] == 0


def test_one_record_per_store_and_national_code(rx_app, rx_shop):
    import pytest
    from sqlalchemy.exc import IntegrityError

    from pharmacy.extensions import db
    from pharmacy.models import Prescription

    with rx_app.app_context():
        for _ in range(2):
            db.session.add(Prescription(store_id=rx_shop["store"], kind="national", national_code="79011a3f9k2q1-c",
                                        user_id=1))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
