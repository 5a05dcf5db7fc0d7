"""Prescription lookup over real HTTP: every field parsed, defensive dates, 404, 401, and the key kept secret."""
from __future__ import annotations

import logging
from datetime import date, datetime

import pytest
import requests

from connectors.eprescription.client import EPrescriptionClient
from connectors.eprescription.dates import VIETNAM_TZ
from connectors.eprescription.models import Diagnosis, PrescriptionLine
from connectors.http_errors import AuthError, MalformedResponseError, NotFoundError
from connectors.sandboxes.eprescription.prescriptions import (
    CONTROLLED_CODE,
    MISSING_DRUG_CODE,
    ORDINARY_CODE,
    PARTLY_SOLD_CODE,
)


def test_lookup_parses_every_field(client):
    rx = client.lookup(" 79011A3F9K2Q-C ")

    assert rx.ma_don_thuoc == ORDINARY_CODE
    assert rx.loai_don_thuoc == "c"
    assert rx.ngay_gio_ke_don == datetime(2026, 11, 20, 8, 30, tzinfo=VIETNAM_TZ)
    assert rx.ho_ten_benh_nhan == "Nguyễn Văn An"
    assert rx.ngay_sinh_benh_nhan == date(1978, 3, 15)
    assert (rx.gioi_tinh, rx.gender) == ("Nam", "male")
    assert rx.ma_dinh_danh_y_te == "079078001234"
    assert rx.ma_so_the_bao_hiem_y_te == "DN4797912345678"
    assert rx.dia_chi.startswith("12 Nguyễn Trãi")
    assert rx.chan_doan[0] == Diagnosis("J20.9", "Viêm phế quản cấp, không đặc hiệu")
    assert rx.ten_bac_si == "BS. Trần Minh Đức"
    assert rx.ten_co_so_kham_chua_benh == "Bệnh viện Nhân dân 115"
    assert rx.loi_dan == "Uống nhiều nước, tái khám nếu sốt cao"
    assert rx.ngay_tai_kham == date(2026, 11, 27)
    assert rx.lines[0] == PrescriptionLine(id=101, ma_thuoc="TQG000005", biet_duoc="Amoxicillin 500mg",
                                           ten_thuoc="Amoxicillin 500mg", don_vi_tinh="Viên", so_luong=21,
                                           cach_dung="Uống 1 viên x 3 lần/ngày, sau ăn", so_luong_ban=0)
    assert rx.lines[0].remaining == 21
    assert not rx.is_controlled
    assert rx.raw["thong_tin_don_thuoc"][1]["ma_thuoc"] == "TQG000017"


def test_lookup_reads_other_date_formats_and_partial_sales(client):
    partly = client.lookup(PARTLY_SOLD_CODE)
    assert partly.ngay_gio_ke_don == datetime(2026, 11, 17, 14, 5, tzinfo=VIETNAM_TZ)
    assert partly.ngay_tai_kham == date(2026, 12, 17)
    assert (partly.lines[0].so_luong_ban, partly.lines[0].remaining) == (10, 20)

    missing = client.lookup(MISSING_DRUG_CODE)
    assert missing.ngay_gio_ke_don == datetime(2026, 11, 19, 9, 45, tzinfo=VIETNAM_TZ)
    assert missing.ngay_sinh_benh_nhan == date(2001, 6, 12)
    assert missing.ngay_tai_kham is None
    assert missing.line(302).ma_thuoc is None

    controlled = client.lookup(CONTROLLED_CODE)
    assert controlled.is_controlled
    assert controlled.ngay_gio_ke_don == datetime(2026, 11, 18, 10, 20, tzinfo=VIETNAM_TZ)


def test_lookup_tolerates_odd_values(served, sandbox, client):
    sandbox.add_prescription({
        "ma_don_thuoc": "12345abcdefg-y", "ngay_gio_ke_don": "không rõ", "ngay_sinh_benh_nhan": "1990",
        "thong_tin_don_thuoc": [{"id": "A1", "ten_thuoc": "Hoạt huyết dưỡng não", "so_luong": "30",
                                 "so_luong_ban": 12.0, "ma_thuoc": ""}],
    })
    rx = client.lookup("12345ABCDEFG-Y")
    assert rx.ngay_gio_ke_don is None and rx.ngay_sinh_benh_nhan is None
    assert rx.ho_ten_benh_nhan == "" and rx.chan_doan == ()
    assert rx.line("A1") == PrescriptionLine(id="A1", ma_thuoc=None, biet_duoc="", ten_thuoc="Hoạt huyết dưỡng não",
                                             don_vi_tinh="", so_luong=30, cach_dung="", so_luong_ban=12)


def test_lookup_of_a_broken_answer_is_a_malformed_response(sandbox, client):
    sandbox.add_prescription({"ma_don_thuoc": "12345abcdefg-c", "thong_tin_don_thuoc": [{"id": 1, "so_luong": 2.5}]})
    with pytest.raises(MalformedResponseError, match="whole number"):
        client.lookup("12345abcdefg-c")


def test_unknown_code_is_not_found(client):
    with pytest.raises(NotFoundError, match="Không tìm thấy đơn thuốc") as caught:
        client.lookup("99999zzzzzzz-c")
    assert caught.value.status == 404 and not caught.value.retryable


def test_malformed_code_is_refused_before_any_request(client):
    with pytest.raises(ValueError, match="characters"):
        client.lookup("79011-c")


def test_code_is_url_encoded(served, credentials):
    seen = []
    session = requests.Session()
    session.hooks["response"].append(lambda response, **_: seen.append(response.request.url))
    EPrescriptionClient(served.url + "/", *credentials, session=session).lookup(" 79011A3F9K2Q-C")
    assert seen == [f"{served.url}/api/v1/thong-tin-don-thuoc/79011a3f9k2q-c"]


def test_wrong_key_is_an_auth_error_that_never_shows_the_key(served, credentials, caplog):
    app_name, app_key = credentials
    wrong_key = "WRONG-key-4242"
    client = EPrescriptionClient(served.url, app_name, wrong_key)
    with caplog.at_level(logging.DEBUG), pytest.raises(AuthError) as caught:
        client.lookup(ORDINARY_CODE)
    assert caught.value.status == 401 and not caught.value.retryable
    shown = " ".join([str(caught.value), repr(caught.value), caught.value.detail, repr(client), caplog.text])
    assert wrong_key not in shown and app_key not in shown


def test_wrong_app_name_is_an_auth_error_too(served, credentials):
    with pytest.raises(AuthError):
        EPrescriptionClient(served.url, "someone-else", credentials[1]).lookup(ORDINARY_CODE)


def test_a_prescription_without_lines_is_read(sandbox, client):
    sandbox.add_prescription({"ma_don_thuoc": "11111aaaaaaa-n", "thong_tin_don_thuoc": []})
    rx = client.lookup("11111aaaaaaa-n")
    assert rx.is_controlled and rx.lines == () and rx.fully_dispensed
