"""The legacy API sandbox over raw loopback HTTP: real answer shapes, validation, duplicates, deletes, faults."""
from __future__ import annotations

import copy
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
import requests

from connectors.documents import LotQuantity, SaleLineDoc
from connectors.nationaldb.payloads import invoice_payload, issue_payload, receipt_payload

from .conftest import FACILITY_CODE, OTHER_FACILITY, PASSWORD, USERNAME


@pytest.fixture
def http():
    with requests.Session() as session:
        yield session


@pytest.fixture
def login(served, http):
    def do(usr=USERNAME, pwd=PASSWORD):
        return http.post(f"{served.url}/api/tai_khoan/dang_nhap", json={"usr": usr, "pwd": pwd}, timeout=5)
    return do


@pytest.fixture
def call(served, http, login):
    """Send an authorized request to the sandbox."""
    token = login().json()["data"]["token"]

    def do(method, path, payload=None, token=token):
        headers = {"Authorization": f"bearer {token}"}
        return http.request(method, served.url + path, json=payload, headers=headers, timeout=5)
    return do


def test_login_answers_with_the_token_inside_data(login):
    first, second = login(), login()
    assert first.status_code == 200
    body = first.json()
    assert (body["code"], body["message"], body["data"]["token_type"]) == (200, "Thành công", "bearer")
    assert "token" not in body
    assert len(body["data"]["token"]) >= 32 and body["data"]["token"] != second.json()["data"]["token"]


def test_bad_credentials_answer_400_with_a_message(login):
    answer = login(pwd="nope")
    assert (answer.status_code, answer.json()) == (400, {"message": "Tên đăng nhập hoặc mật khẩu không đúng"})


def test_login_fields_are_validated(login):
    answer = login(usr="x" * 51, pwd="")
    assert answer.status_code == 400
    errors = answer.json()["error"]["validationErrors"]
    assert [e["members"] for e in errors] == [["input.Usr"], ["input.Pwd"]]


def test_calls_without_a_valid_token_answer_401(call):
    answer = call("GET", f"/api/lien_thong/hoa_don/{FACILITY_CODE}/HD-1", token="forged")
    assert answer.status_code == 401
    assert answer.json()["unAuthorizedRequest"] is True


def test_payloads_from_the_builders_are_accepted(call, sandbox, make_sale, make_receipt, make_issue, amoxicillin):
    split = SaleLineDoc(drug=amoxicillin, unit_name="Vỉ", unit_factor=10, unit_price=12_345, quantity=3,
                        allocations=(LotQuantity("B-01", date(2025, 9, 30), 25),
                                     LotQuantity("B-02", date(2026, 1, 31), 5)))
    answers = [
        call("POST", "/api/lien_thong/hoa_don", invoice_payload(make_sale(lines=(split,)))),
        call("POST", "/api/lien_thong/phieu_nhap", receipt_payload(make_receipt())),
        call("POST", "/api/lien_thong/phieu_xuat", issue_payload(make_issue())),
    ]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert answers[0].json()["mess"] == "Tạo hóa đơn thành công"
    assert answers[1].json()["ma_phieu_nhap_quoc_gia"].startswith(f"{FACILITY_CODE}.")
    assert answers[2].json()["ma_phieu_xuat_quoc_gia"].startswith(f"{FACILITY_CODE}.")
    assert [len(sandbox.state.documents(kind)) for kind in ("hoa_don", "phieu_nhap", "phieu_xuat")] == [1, 1, 1]


def test_wrong_facility_code_is_a_business_rejection(call, make_sale):
    payload = invoice_payload(make_sale())
    payload["ma_co_so"] = OTHER_FACILITY
    answer = call("POST", "/api/lien_thong/hoa_don", payload)
    assert (answer.status_code, answer.json()) == (400, {"message": "Mã cơ sở không chính xác"})
    other = call("DELETE", f"/api/lien_thong/phieu_nhap/{OTHER_FACILITY}/PN-1")
    assert (other.status_code, other.json()) == (400, {"message": "Mã cơ sở không chính xác"})


def test_validation_errors_use_the_abp_envelope_with_members(call, sandbox, make_receipt):
    payload = receipt_payload(make_receipt())
    line = payload["chi_tiet"][0]
    line["so_luong"] = 0
    line["so_lo_"] = line.pop("so_lo")  # a misspelt key reads as missing
    line["han_dung"] = "31/05/2026"
    payload["loai_phieu_nhap"] = 4
    payload["ghi_chu"] = "x" * 501
    answer = call("POST", "/api/lien_thong/phieu_nhap", payload)
    assert answer.status_code == 400
    body = answer.json()
    assert (body["success"], body["error"]["message"]) == (False, "Your request is not valid!")
    assert [e["members"] for e in body["error"]["validationErrors"]] == [
        ["input.Ghi_chu"],
        ["input.Loai_phieu_nhap"],
        ["input.Chi_tiet[0].So_lo"],
        ["input.Chi_tiet[0].Han_dung"],
        ["input.Chi_tiet[0].So_luong"],
    ]
    assert sandbox.state.documents() == []


def test_invoice_required_values_and_empty_detail_list_are_refused(call, make_sale):
    payload = invoice_payload(make_sale())
    payload["hoa_don_chi_tiet"][0]["ham_luong"] = ""
    del payload["hoa_don_chi_tiet"][0]["lieu_dung"]
    answer = call("POST", "/api/lien_thong/hoa_don", payload)
    members = [e["members"][0] for e in answer.json()["error"]["validationErrors"]]
    assert members == ["input.Hoa_don_chi_tiet[0].Ham_luong", "input.Hoa_don_chi_tiet[0].Lieu_dung"]
    payload["hoa_don_chi_tiet"] = []
    answer = call("POST", "/api/lien_thong/hoa_don", payload)
    assert [e["members"] for e in answer.json()["error"]["validationErrors"]] == [["input.Hoa_don_chi_tiet"]]


@pytest.mark.parametrize(("change", "message"), [
    ({"ty_le_quy_doi": None}, "Thiếu tỷ lệ quy đổi của thuốc TQG0000001"),
    ({"ty_le_quy_doi": 0}, "Thiếu tỷ lệ quy đổi của thuốc TQG0000001"),
    ({"thanh_tien": 99_999}, "Thành tiền của thuốc TQG0000001 không bằng số lượng × đơn giá"),
])
def test_invoice_line_business_rules(call, make_sale, change, message):
    payload = invoice_payload(make_sale())
    payload["hoa_don_chi_tiet"][0].update(change)
    answer = call("POST", "/api/lien_thong/hoa_don", payload)
    assert (answer.status_code, answer.json()) == (400, {"message": message})


def test_issue_needs_a_reason_and_a_valid_type(call, make_issue):
    payload = issue_payload(make_issue())
    payload["ghi_chu"] = ""
    payload["loai_phieu_xuat"] = 1
    answer = call("POST", "/api/lien_thong/phieu_xuat", payload)
    assert [e["members"] for e in answer.json()["error"]["validationErrors"]] == [
        ["input.Ghi_chu"], ["input.Loai_phieu_xuat"]]


def test_duplicates_are_recorded_not_detected(call, sandbox, make_sale):
    payload = invoice_payload(make_sale())
    for _ in range(3):
        assert call("POST", "/api/lien_thong/hoa_don", payload).status_code == 200
    assert sandbox.state.count("hoa_don", "HD-CH01-000123") == 3
    assert [doc.payload for doc in sandbox.state.documents("hoa_don")] == [payload] * 3


def test_concurrent_posts_are_all_counted(call, sandbox, make_receipt):
    payload = receipt_payload(make_receipt())
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda _: call("POST", "/api/lien_thong/phieu_nhap", copy.deepcopy(payload))
                                 .status_code, range(24)))
    assert statuses == [200] * 24
    assert sandbox.state.count("phieu_nhap", "PN-CH01-000045") == 24


def test_get_and_delete_of_an_invoice(call, sandbox, make_sale):
    path = f"/api/lien_thong/hoa_don/{FACILITY_CODE}/HD-CH01-000123"
    assert call("GET", path).status_code == 404
    assert call("DELETE", path).status_code == 404
    call("POST", "/api/lien_thong/hoa_don", invoice_payload(make_sale()))
    found = call("GET", path)
    assert found.status_code == 200 and found.json()["data"]["ma_hoa_don"] == "HD-CH01-000123"
    deletes = [call("DELETE", path) for _ in range(2)]
    assert [(d.status_code, d.json()["code"]) for d in deletes] == [(200, 200), (200, 200)]
    assert call("GET", path).status_code == 404
    assert [doc.deleted for doc in sandbox.state.documents("hoa_don")] == [True]
    assert sandbox.state.count("hoa_don", "HD-CH01-000123", include_deleted=True) == 1


def test_faults_answer_in_the_servers_shapes(call, faults, sandbox, make_sale):
    payload = invoice_payload(make_sale())
    faults.push("429", route="post:hoa_don")
    faults.push("invalidate_token", route="post:hoa_don")
    faults.push("400_envelope", route="post:hoa_don")
    limited = call("POST", "/api/lien_thong/hoa_don", payload)
    assert (limited.status_code, limited.headers["Retry-After"]) == (429, "7")
    assert call("POST", "/api/lien_thong/hoa_don", payload).status_code == 401
    assert call("GET", f"/api/lien_thong/hoa_don/{FACILITY_CODE}/X").status_code == 401  # every token forgotten
    assert sandbox.state.documents() == []
    assert [(route, fault) for route, fault in faults.injected] == [
        ("post:hoa_don", "429"), ("post:hoa_don", "invalidate_token")]


def test_drop_after_store_records_the_document_then_breaks_the_answer(call, faults, sandbox, make_sale):
    faults.push("drop_after_store", route="post:hoa_don")
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        call("POST", "/api/lien_thong/hoa_don", invoice_payload(make_sale()))
    assert sandbox.state.count("hoa_don", "HD-CH01-000123") == 1
    assert sandbox.state.calls[-1] == ("POST", "/api/lien_thong/hoa_don", "drop_after_store")
