"""Reporting sales against national prescriptions through the one sync runner: the dispensing report exactly as
the spec says, so_luong_ban seen by the next lookup, no duplicate after an unknown outcome, FHIR bundles that
are conditional creates, token expiry, hand records checked later, and the health data target switched off."""
from __future__ import annotations

from connectors.sandboxes.eprescription.prescriptions import MISSING_DRUG_CODE, ORDINARY_CODE
from connectors.sandboxes.kit import FAULT_500, FAULT_503, FAULT_DROP_AFTER_STORE, FAULT_INVALIDATE_TOKEN
from pharmacy.clock import local_today

from .conftest import drain, fill_cart


def test_lookup_cart_sale_report_then_second_lookup_shows_sold(lookup, sell, make_runner, rx_app, erx, health,
                                                              rx_shop):
    sold = sell(fill_cart(lookup(ORDINARY_CODE).json), {"national_code": ORDINARY_CODE})
    assert sold.status_code == 201, sold.json
    assert drain(rx_app, make_runner()) == {"eprescription": ["sent"], "health_data": ["sent"]}

    report = erx.simulator.reports[0]
    assert report == {
        "ma_don_thuoc": ORDINARY_CODE, "ma_hoa_don": sold.json["number"],
        "ma_dinh_danh_co_so_cung_ung_thuoc": "CS-CH01", "ten_co_so_cung_ung_thuoc": "Nhà thuốc CH01",
        "so_dien_thoai_co_so_cung_ung_thuoc": "0281234567", "dia_chi_co_so_cung_ung_thuoc": "1 Lê Lợi, Quận 1",
        "thong_tin_thuoc": [
            {"ma_thuoc_da_ke_don": 101, "ma_thuoc": "TQG000005", "biet_duoc": "Amoxicillin 500mg",
             "ten_thuoc": "Amoxicillin 500mg", "don_vi_tinh": "Viên", "cach_dung": "Uống 1 viên x 3 lần/ngày, sau ăn",
             "so_luong": 21, "so_luong_ban": 21},
            {"ma_thuoc_da_ke_don": 102, "ma_thuoc": "TQG000017", "biet_duoc": "Omeprazol 20mg",
             "ten_thuoc": "Omeprazol 20mg", "don_vi_tinh": "Viên",
             "cach_dung": "Uống 1 viên/ngày trước ăn sáng 30 phút", "so_luong": 14, "so_luong_ban": 14},
        ]}
    again = lookup(ORDINARY_CODE).json
    assert [(line["sold_elsewhere"], line["pending_here"], line["remaining"]) for line in again["lines"]] == [
        (21, 0, 0), (14, 0, 0)]
    overfill = sell([{"product_id": rx_shop["products"]["amox"], "unit": "Viên", "quantity": 1}],
                    {"national_code": ORDINARY_CODE})
    assert overfill.status_code == 422 and overfill.json["remaining"] == 0
    assert health.simulator.count("MedicationDispense") == 2 and health.simulator.count("Patient") == 1


def test_dropped_answer_is_resolved_by_rereading_never_by_a_blind_resend(lookup, sell, make_runner, rx_app, erx,
                                                                       erx_faults):
    sold = sell(fill_cart(lookup(ORDINARY_CODE).json), {"national_code": ORDINARY_CODE})
    erx_faults.push(FAULT_DROP_AFTER_STORE, route="report")
    assert drain(rx_app, make_runner())["eprescription"] == ["sent"]
    assert ("report", FAULT_DROP_AFTER_STORE) in erx_faults.injected
    assert erx.simulator.report_count(ORDINARY_CODE, sold.json["number"]) == 1
    assert erx.simulator.duplicates() == {} and erx.simulator.sold(ORDINARY_CODE, 101) == 21


def test_transient_failure_is_retried_and_reported_once(lookup, sell, make_runner, rx_app, erx, erx_faults):
    sell(fill_cart(lookup(ORDINARY_CODE).json), {"national_code": ORDINARY_CODE})
    erx_faults.push(FAULT_500, route="report")
    assert drain(rx_app, make_runner())["eprescription"] == ["sent"]
    assert len(erx.simulator.reports) == 1


def test_resent_bundle_creates_nothing_and_token_expiry_recovers(lookup, sell, make_runner, rx_app, health,
                                                                hd_faults, rx_shop):
    from connectors.healthdata.client import HealthDataClient
    from connectors.sync.lanes.prescriptions.clients import health_data_client

    sell(fill_cart(lookup(ORDINARY_CODE).json), {"national_code": ORDINARY_CODE})
    runner = make_runner()
    drain(rx_app, runner)
    stored = health.simulator.count()
    hd_faults.push(FAULT_INVALIDATE_TOKEN, route="bundle")  # every token revoked in the middle of the run
    amlo = rx_shop["products"]["augm"]
    lookup(MISSING_DRUG_CODE)
    sell([{"product_id": amlo, "unit": "Viên", "quantity": 14}], {"national_code": MISSING_DRUG_CODE})
    assert drain(rx_app, runner)["health_data"] == ["sent", "sent"]
    assert health.simulator.tokens_issued == 2
    grown = health.simulator.count()
    assert grown > stored

    from connectors.sync.lanes.prescriptions.plans import plan_report
    from pharmacy.extensions import db
    from pharmacy.outbox.models import OutboxMessage

    with rx_app.app_context():
        message = db.session.query(OutboxMessage).filter_by(target="health_data").order_by(OutboxMessage.id).first()
        bundle = plan_report(db.session, message).job.payload
        client: HealthDataClient = health_data_client(rx_app.config)
        assert client.post_bundle(bundle).created == 0  # the same bundle again: every entry already exists
        db.session.rollback()
    assert health.simulator.count() == grown


def test_hand_record_is_looked_up_by_the_runner_then_reported(sell, make_runner, rx_app, erx, rx_shop, erx_faults):
    """The e-prescription system is down when the sale's own lookup runs: the sale records the code by hand."""
    by_hand = {"national_code": ORDINARY_CODE, "doctor_name": "BS. Trần Minh Đức", "patient_name": "Nguyễn Văn An",
               "facility_name": "Bệnh viện Nhân dân 115", "issued_on": local_today().isoformat()}
    amox = rx_shop["products"]["amox"]
    erx_faults.push(FAULT_503, count=10)
    assert sell([{"product_id": amox, "unit": "Viên", "quantity": 21}], by_hand).status_code == 201
    erx_faults.clear()
    assert drain(rx_app, make_runner()) == {"eprescription": ["sent"], "health_data": ["sent"]}
    assert erx.simulator.sold(ORDINARY_CODE, 101) == 21
    record = rx_shop["api"].get(f"/api/v1/prescriptions?store_id={rx_shop['store']}").json["items"][0]
    assert record["lookup_status"] == "matches"


def test_health_data_target_can_be_switched_off(lookup, sell, make_runner, rx_app):
    rx_app.config["HEALTH_DATA_ENABLED"] = False
    sell(fill_cart(lookup(ORDINARY_CODE).json), {"national_code": ORDINARY_CODE})
    assert drain(rx_app, make_runner()) == {"eprescription": ["sent"]}


def test_operation_outcome_rejection_waits_for_a_person_with_the_remote_message(lookup, sell, make_runner, rx_app,
                                                                               hd_faults):
    from connectors.sandboxes.kit import FAULT_400_ENVELOPE
    from pharmacy.extensions import db
    from pharmacy.outbox.models import OutboxMessage

    sell(fill_cart(lookup(ORDINARY_CODE).json), {"national_code": ORDINARY_CODE})
    hd_faults.push(FAULT_400_ENVELOPE, route="bundle")
    assert drain(rx_app, make_runner()) == {"eprescription": ["sent"], "health_data": ["rejected"]}
    with rx_app.app_context():
        message = db.session.query(OutboxMessage).filter_by(target="health_data").one()
        assert "Dữ liệu không hợp lệ theo quy định" in message.last_error
        db.session.rollback()
