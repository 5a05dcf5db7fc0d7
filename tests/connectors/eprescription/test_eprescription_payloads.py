"""The dispensing-report payload follows spec §3 field by field, including substitution."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from connectors.documents import DrugInfo, IncompleteDocumentError
from connectors.eprescription.models import parse_prescription
from connectors.eprescription.payloads import dispense_payload
from connectors.sandboxes.eprescription.prescriptions import MISSING_DRUG_CODE, ORDINARY_CODE, demo_prescriptions

TODAY = date(2026, 11, 20)


@pytest.fixture
def ordinary():
    return parse_prescription(demo_prescriptions(TODAY)[ORDINARY_CODE])


def test_payload_has_exactly_the_spec_fields(ordinary, make_dispense):
    payload = dispense_payload(make_dispense(ordinary, {101: 21, 102: 7}, invoice="HD-79123-000042"))

    assert payload == {
        "ma_don_thuoc": "79011a3f9k2q-c",
        "ma_hoa_don": "HD-79123-000042",
        "ma_dinh_danh_co_so_cung_ung_thuoc": "79123",
        "ten_co_so_cung_ung_thuoc": "Nhà thuốc An Khang",
        "so_dien_thoai_co_so_cung_ung_thuoc": "02838123456",
        "dia_chi_co_so_cung_ung_thuoc": "25 Lý Tự Trọng, Quận 1, TP. Hồ Chí Minh",
        "thong_tin_thuoc": [
            {"ma_thuoc_da_ke_don": 101, "ma_thuoc": "TQG000005", "biet_duoc": "Amoxicillin 500mg",
             "ten_thuoc": "Amoxicillin 500mg", "don_vi_tinh": "Viên", "cach_dung": "Uống 1 viên x 3 lần/ngày, sau ăn",
             "so_luong": 21, "so_luong_ban": 21},
            {"ma_thuoc_da_ke_don": 102, "ma_thuoc": "TQG000017", "biet_duoc": "Omeprazol 20mg",
             "ten_thuoc": "Omeprazol 20mg", "don_vi_tinh": "Viên",
             "cach_dung": "Uống 1 viên/ngày trước ăn sáng 30 phút", "so_luong": 14, "so_luong_ban": 7},
        ],
    }


def test_substitution_reports_the_prescribed_line_and_the_product_given(ordinary, make_dispense):
    generic = DrugInfo(national_code="TQG000031", name="Moxilen 500mg", active_ingredient="Amoxicillin",
                       strength="500mg", base_unit="Viên")
    doc = make_dispense(ordinary, {101: 21}, substitute={101: generic})

    line = dispense_payload(doc)["thong_tin_thuoc"][0]

    assert doc.lines[0].substituted
    assert line["ma_thuoc_da_ke_don"] == 101          # still the prescribed line
    assert line["ma_thuoc"] == "TQG000031"            # but what was actually given
    assert line["biet_duoc"] == "Moxilen 500mg"
    assert line["ten_thuoc"] == "Amoxicillin 500mg"
    assert (line["so_luong"], line["so_luong_ban"]) == (21, 21)


def test_a_line_prescribed_without_drug_code_is_not_a_substitution(make_dispense):
    rx = parse_prescription(demo_prescriptions(TODAY)[MISSING_DRUG_CODE])
    paracetamol = DrugInfo(national_code="TQG000001", name="Hapacol 500", active_ingredient="Paracetamol",
                           strength="500mg", base_unit="Viên")
    doc = make_dispense(rx, {302: 10}, substitute={302: paracetamol})

    line = dispense_payload(doc)["thong_tin_thuoc"][0]

    assert not doc.lines[0].substituted
    assert line == {"ma_thuoc_da_ke_don": 302, "ma_thuoc": "TQG000001", "biet_duoc": "Hapacol 500",
                    "ten_thuoc": "Paracetamol 500mg", "don_vi_tinh": "Viên",
                    "cach_dung": "Uống 1 viên khi sốt trên 38,5 độ, cách nhau 4-6 giờ", "so_luong": 10,
                    "so_luong_ban": 10}


def test_a_product_without_national_code_holds_the_report(ordinary, make_dispense):
    unknown = DrugInfo(national_code=None, name="Amoxicillin nhập khẩu")
    doc = make_dispense(ordinary, {101: 21}, substitute={101: unknown})
    with pytest.raises(IncompleteDocumentError) as caught:
        dispense_payload(doc)
    assert caught.value.missing == ["line 1 (Amoxicillin nhập khẩu): product has no national drug code"]


def test_the_code_is_sent_normalized(ordinary, make_dispense):
    doc = replace(make_dispense(ordinary, {101: 1}), prescription_code=" 79011A3F9K2Q-C ")
    assert dispense_payload(doc)["ma_don_thuoc"] == ORDINARY_CODE
