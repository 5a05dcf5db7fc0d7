"""Legacy national DB payloads against the spec tables, with golden dicts written by hand."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from connectors.documents import DrugInfo, LotQuantity, NothingToReportError, SaleLineDoc, VoidDoc
from connectors.documents import IncompleteDocumentError as MissingDataError
from connectors.documents import divide_half_up as per_base_unit
from connectors.nationaldb.payloads import (
    delete_target,
    invoice_payload,
    issue_payload,
    local_day,
    receipt_payload,
)

PARACETAMOL_IDENTITY = {
    "ma_thuoc": "TQG0000001",
    "ten_thuoc": "Paracetamol 500mg",
    "so_lo": "LOT-A1",
    "ngay_san_xuat": "20240601",
    "han_dung": "20260531",
}


def test_sale_from_one_lot_is_sent_in_the_unit_sold(make_sale):
    assert invoice_payload(make_sale()) == {
        "ma_hoa_don": "HD-CH01-000123",
        "ma_co_so": "79001234",
        "ma_don_thuoc_quoc_gia": "",
        "ngay_ban": "20250301",
        "ho_ten_nguoi_ban": "Nguyễn Thị Lan",
        "ho_ten_khach_hang": "Khách lẻ",
        "hoa_don_chi_tiet": [{
            **PARACETAMOL_IDENTITY,
            "so_dang_ky": "VD-12345-10",
            "ham_luong": "500mg",
            "duong_dung": "Uống",
            "lieu_dung": "Uống 1 viên mỗi 6 giờ khi sốt",
            "don_vi_tinh": "Hộp",
            "so_luong": 2,
            "don_gia": 50_000,
            "thanh_tien": 100_000,
            "ty_le_quy_doi": 100,
        }],
    }


def test_sale_split_across_lots_is_sent_per_lot_in_base_units_adding_up(make_sale, amoxicillin, face_mask):
    """Issue 16: Σ thanh_tien is the line's amount exactly (37,035 over 30 tablets: 15 at 1,235, 15 at 1,234)."""
    split = SaleLineDoc(drug=amoxicillin, unit_name="Vỉ", unit_factor=10, unit_price=12_345, quantity=3,
                        allocations=(LotQuantity("B-01", date(2025, 9, 30), 25),
                                     LotQuantity("B-02", date(2026, 1, 31), 5, date(2024, 2, 1))))
    mask = SaleLineDoc(drug=face_mask, unit_name="Cái", unit_factor=1, unit_price=2_000, quantity=5,
                       allocations=(LotQuantity("M-1", date(2027, 1, 1), 5),))
    sale = make_sale(lines=(split, mask), customer_name="Trần Văn Minh", national_prescription_code="79A1B2C3D4E5-c",
                     sold_at=datetime(2025, 3, 1, 17, 30, tzinfo=timezone.utc))
    amox = {
        "ma_thuoc": "TQG0000002",
        "ten_thuoc": "Amoxicillin 500mg",
        "so_dang_ky": "VD-22222-15",
        "ham_luong": "500mg",
        "duong_dung": "Uống",
        "lieu_dung": "Uống 1 viên x 3 lần/ngày",
        "don_vi_tinh": "Viên",
        "ty_le_quy_doi": 1,
    }
    assert invoice_payload(sale) == {
        "ma_hoa_don": "HD-CH01-000123",
        "ma_co_so": "79001234",
        "ma_don_thuoc_quoc_gia": "79A1B2C3D4E5-c",
        "ngay_ban": "20250302",  # 17:30 UTC is 00:30 the next day in Ho Chi Minh City
        "ho_ten_nguoi_ban": "Nguyễn Thị Lan",
        "ho_ten_khach_hang": "Trần Văn Minh",
        "hoa_don_chi_tiet": [
            {**amox, "so_lo": "B-01", "ngay_san_xuat": "", "han_dung": "20250930", "so_luong": 15,
             "don_gia": 1_235, "thanh_tien": 18_525},
            {**amox, "so_lo": "B-01", "ngay_san_xuat": "", "han_dung": "20250930", "so_luong": 10,
             "don_gia": 1_234, "thanh_tien": 12_340},
            {**amox, "so_lo": "B-02", "ngay_san_xuat": "20240201", "han_dung": "20260131", "so_luong": 5,
             "don_gia": 1_234, "thanh_tien": 6_170},
        ],
    }


@pytest.mark.parametrize(("unit_price", "factor", "expected"), [
    (12_345, 10, 1_235), (12_344, 10, 1_234), (5, 2, 3), (7, 2, 4), (50_000, 100, 500), (149, 100, 1), (0, 10, 0),
])
def test_price_per_base_unit_rounds_half_up(unit_price, factor, expected):
    assert per_base_unit(unit_price, factor) == expected


@pytest.mark.parametrize(("moment", "expected"), [
    (datetime(2025, 3, 1, 16, 59, 59, tzinfo=timezone.utc), "20250301"),
    (datetime(2025, 3, 1, 17, 0, 0, tzinfo=timezone.utc), "20250302"),
    (datetime(2024, 12, 31, 18, 0, tzinfo=timezone.utc), "20250101"),
    (date(2026, 2, 28), "20260228"),
    (None, ""),
])
def test_dates_are_local_ho_chi_minh_days(moment, expected):
    assert local_day(moment) == expected


def test_naive_timestamps_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        local_day(datetime(2025, 3, 1, 12, 0))


def test_sale_missing_national_code_strength_and_dosage_is_held_with_every_problem(make_sale):
    unknown = DrugInfo(national_code=None, name="Siro ho thảo dược", active_ingredient="Cao lá thường xuân",
                       base_unit="Chai")
    line = SaleLineDoc(drug=unknown, unit_name="Chai", unit_factor=1, unit_price=65_000, quantity=1,
                       allocations=(LotQuantity("S1", date(2026, 1, 1), 1),))
    with pytest.raises(MissingDataError) as caught:
        invoice_payload(make_sale(lines=(line,)))
    assert caught.value.problems == [
        {"product": "Siro ho thảo dược", "field": "ma_thuoc", "reason": "is missing"},
        {"product": "Siro ho thảo dược", "field": "ham_luong", "reason": "is missing"},
        {"product": "Siro ho thảo dược", "field": "lieu_dung", "reason": "is missing"},
    ]


def test_too_long_values_are_held_not_truncated(make_sale):
    long_name = "Nguyễn " * 8  # 55 characters once trimmed, the limit is 50
    with pytest.raises(MissingDataError) as caught:
        invoice_payload(make_sale(customer_name=long_name, number="HD-" + "9" * 48))
    assert caught.value.problems == [
        {"product": None, "field": "ma_hoa_don", "reason": "is 51 characters long, the limit is 50"},
        {"product": None, "field": "ho_ten_khach_hang", "reason": "is 55 characters long, the limit is 50"},
    ]


def test_sale_line_whose_lots_do_not_add_up_is_held(make_sale, paracetamol):
    line = SaleLineDoc(drug=paracetamol, unit_name="Hộp", unit_factor=100, unit_price=50_000, quantity=2,
                       allocations=(LotQuantity("LOT-A1", date(2026, 5, 31), 150),))
    with pytest.raises(MissingDataError) as caught:
        invoice_payload(make_sale(lines=(line,)))
    assert caught.value.problems == [{"product": "Paracetamol 500mg", "field": "so_luong",
                                      "reason": "lots hold 150 base units, the line sold 200"}]


def test_sale_of_only_non_drug_goods_has_nothing_to_report(make_sale, face_mask):
    line = SaleLineDoc(drug=face_mask, unit_name="Cái", unit_factor=1, unit_price=2_000, quantity=1,
                       allocations=(LotQuantity("M-1", date(2027, 1, 1), 1),))
    with pytest.raises(NothingToReportError):
        invoice_payload(make_sale(lines=(line,)))


STOCK_LINE = {**PARACETAMOL_IDENTITY, "so_dklh": "VD-12345-10", "so_luong": 500, "don_gia": 480, "don_vi_tinh": "Viên"}


def test_supplier_receipt_matches_the_spec(make_receipt):
    assert receipt_payload(make_receipt()) == {
        "ma_phieu": "PN-CH01-000045",
        "ma_co_so": "79001234",
        "ngay_nhap": "20250301",
        "loai_phieu_nhap": 1,
        "ghi_chu": "",
        "ten_co_so_cung_cap": "Công ty Dược phẩm Trung ương 1",
        "chi_tiet": [STOCK_LINE],
    }


@pytest.mark.parametrize(("kind", "code"), [("supplier", 1), ("customer_return", 2), ("opening", 3),
                                            ("transfer_in", 1)])
def test_receipt_kinds_map_to_loai_phieu_nhap(make_receipt, kind, code):
    assert receipt_payload(make_receipt(kind=kind))["loai_phieu_nhap"] == code


def test_supplier_receipt_without_supplier_name_is_held(make_receipt):
    with pytest.raises(MissingDataError) as caught:
        receipt_payload(make_receipt(supplier_name=""))
    assert caught.value.problems == [{"product": None, "field": "ten_co_so_cung_cap", "reason": "is missing"}]


def test_opening_stock_needs_no_supplier(make_receipt):
    payload = receipt_payload(make_receipt(kind="opening", supplier_name="", note="Tồn đầu kỳ"))
    assert (payload["loai_phieu_nhap"], payload["ten_co_so_cung_cap"], payload["ghi_chu"]) == (3, "", "Tồn đầu kỳ")


def test_destruction_issue_matches_the_spec(make_issue):
    assert issue_payload(make_issue()) == {
        "ma_phieu": "PX-CH01-000007",
        "ma_co_so": "79001234",
        "ngay_xuat": "20250301",
        "loai_phieu_xuat": 3,
        "ghi_chu": "Hủy thuốc hết hạn",
        "ten_co_so_nhan": "",
        "chi_tiet": [STOCK_LINE],
    }


@pytest.mark.parametrize(("kind", "code"), [("return_to_supplier", 2), ("destruction", 3), ("transfer_out", 4),
                                           ("recall_return", 2)])
def test_issue_kinds_map_to_loai_phieu_xuat(make_issue, kind, code):
    payload = issue_payload(make_issue(kind=kind, receiver_name="Nhà thuốc An Bình 2"))
    assert payload["loai_phieu_xuat"] == code


def test_issue_without_reason_or_recipient_is_held(make_issue):
    with pytest.raises(MissingDataError) as caught:
        issue_payload(make_issue(kind="transfer_out", note=" "))
    assert caught.value.problems == [
        {"product": None, "field": "ghi_chu", "reason": "is missing"},
        {"product": None, "field": "ten_co_so_nhan", "reason": "is missing"},
    ]


def test_unknown_document_kinds_are_programming_errors(make_receipt, make_issue):
    with pytest.raises(ValueError, match="receipt kind"):
        receipt_payload(make_receipt(kind="gift"))
    with pytest.raises(ValueError, match="issue kind"):
        issue_payload(make_issue(kind="count_adjustment"))


@pytest.mark.parametrize(("document_type", "kind"), [("sale", "hoa_don"), ("receipt", "phieu_nhap"),
                                                     ("issue", "phieu_xuat")])
def test_void_targets_the_delete_of_the_original_document(facility, document_type, kind):
    void = VoidDoc(facility=facility, document_type=document_type, number="DOC-000001")
    assert delete_target(void) == (kind, "79001234", "DOC-000001")


@pytest.mark.parametrize(("quantity", "amount"), [(3, 37_035), (7, 10_000), (1, 999), (12, 12), (5, 0)])
def test_a_discounted_line_sends_net_unit_prices_adding_up_to_its_amount(make_sale, amoxicillin, quantity, amount):
    """Issue 16: no discount field nationally: net unit prices, the remainder on a split-off detail."""
    one_lot = SaleLineDoc(drug=amoxicillin, unit_name="Vỉ", unit_factor=10, unit_price=12_345, quantity=quantity,
                          allocations=(LotQuantity("B-01", date(2025, 9, 30), quantity * 10),), amount=amount)
    lots = SaleLineDoc(drug=amoxicillin, unit_name="Vỉ", unit_factor=10, unit_price=12_345, quantity=quantity,
                       allocations=(LotQuantity("B-01", date(2025, 9, 30), 1),
                                    LotQuantity("B-02", date(2026, 1, 31), quantity * 10 - 1)), amount=amount)
    for line in (one_lot, lots):
        details = invoice_payload(make_sale(lines=(line,)))["hoa_don_chi_tiet"]
        assert sum(detail["thanh_tien"] for detail in details) == amount
        assert all(detail["thanh_tien"] == detail["so_luong"] * detail["don_gia"] for detail in details)
        assert all(isinstance(detail["don_gia"], int) and detail["so_luong"] > 0 for detail in details)
        assert max(d["don_gia"] for d in details) - min(d["don_gia"] for d in details) <= 1
