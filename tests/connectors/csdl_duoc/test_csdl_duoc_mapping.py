"""Local documents map to CSDL Dược v2 transactions exactly as the spec describes (golden payloads by hand)."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from connectors.csdl_duoc.mapping import to_transaction
from connectors.documents import (
    DrugInfo,
    Facility,
    IssueDoc,
    LotQuantity,
    NothingToReportError,
    OpeningBalanceDoc,
    ReceiptDoc,
    SaleDoc,
    SaleLineDoc,
    StockCountLineDoc,
    StockLineDoc,
    StockTakingDoc,
    V2Unit,
    VoidDoc,
)
from connectors.documents import IncompleteDocumentError as MissingDataError

STORE = Facility(code="FAC-01", name="Nhà thuốc Hòa Bình")
# 2026-03-01 17:30 UTC is 2026-03-02 00:30 in Vietnam: the date must move to the next day.
LATE_EVENING_UTC = datetime(2026, 3, 1, 17, 30, 5, 123456, tzinfo=timezone.utc)
MORNING_UTC = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)

HAPACOL = DrugInfo(
    national_code="TQG000001", name="Hapacol 500", active_ingredient="Paracetamol", strength="500mg",
    manufacturer="DHG Pharma", base_unit="Viên", v2_drug_id="893000000001",
    v2_units=(V2Unit("VIEN", "Viên"), V2Unit("VI", "Vỉ", "8931000000009"), V2Unit("HOP", "Hộp", "8931000000016")),
)
BANDAGE = DrugInfo(national_code=None, name="Băng cá nhân", base_unit="Miếng")


def sale(lines, number="HD-0001", code=None) -> SaleDoc:
    return SaleDoc(number=number, facility=STORE, sold_at=LATE_EVENING_UTC, seller_name="DS Lan",
                   customer_name=None, national_prescription_code=code, lines=tuple(lines))


def hapacol_line(quantity=2, unit="Hộp", factor=100, price=45_000, lots=(("L1", 200),)) -> SaleLineDoc:
    return SaleLineDoc(drug=HAPACOL, unit_name=unit, unit_factor=factor, unit_price=price, quantity=quantity,
                       allocations=tuple(LotQuantity(lot, date(2027, 6, 30), qty) for lot, qty in lots))


def stock_line(drug=HAPACOL, lot="L1", quantity=300, price=450) -> StockLineDoc:
    return StockLineDoc(drug=drug, lot=lot, expiry=date(2027, 6, 30), quantity=quantity, unit_price=price)


def item(unit_id, quantity, price, batch="L1", gtin=None) -> dict:
    golden = {"drug_id": "893000000001", "unit_id": unit_id, "quantity": quantity, "batch_no": batch,
              "expiry_date": "2027-06-30"}
    if gtin:
        golden["gtin"] = gtin
    if price is not None:
        golden["price"] = price
    return golden | {"manufacturer": "DHG Pharma"}


def test_sale_from_one_lot_is_a_retail_stock_out_in_the_unit_sold():
    kind, payload = to_transaction(sale([hapacol_line()], code="01234AbCdEfG-c"))
    assert kind == "stock-out"
    assert payload == {
        "transaction_date": "2026-03-02T00:30:05+07:00",
        "reason": "sale-retail",
        "reference_number": "HD-0001",
        "note": "Mã đơn thuốc: 01234AbCdEfG-c",
        "items": [{"drug_id": "893000000001", "unit_id": "HOP", "quantity": 2, "batch_no": "L1",
                   "expiry_date": "2027-06-30", "gtin": "8931000000016", "price": 45_000,
                   "manufacturer": "DHG Pharma"}],
    }


def test_sale_split_across_lots_goes_per_lot_in_the_base_unit_with_the_price_rounded_half_up():
    line = hapacol_line(quantity=1, unit="Vỉ", factor=10, price=4_505, lots=(("L1", 4), ("L2", 6)))
    _, payload = to_transaction(sale([line]))
    assert payload["items"] == [item("VIEN", 4, 451, "L1"), item("VIEN", 6, 451, "L2")]


@pytest.mark.parametrize(("kind", "reason", "note"), [
    ("supplier", "supplier", "Hóa đơn 123; Nhà cung cấp: Phân phối Dược ABC"),
    ("customer_return", "return", "Hóa đơn 123; Khách trả: Phân phối Dược ABC"),
    ("opening", "opening-balance", "Hóa đơn 123"),
    ("transfer_in", "transfer-in", "Hóa đơn 123; Cơ sở chuyển: Phân phối Dược ABC"),
])
def test_receipts_are_stock_ins_in_base_units_with_the_reason_of_their_kind(kind, reason, note):
    receipt = ReceiptDoc(number="PN-7", facility=STORE, kind=kind, received_at=MORNING_UTC,
                         supplier_name="Phân phối Dược ABC", note="Hóa đơn 123", lines=(stock_line(),))
    assert to_transaction(receipt) == ("stock-in", {
        "transaction_date": "2026-03-02T09:00:00+07:00", "reason": reason, "reference_number": "PN-7",
        "note": note, "items": [item("VIEN", 300, 450)]})


@pytest.mark.parametrize(("kind", "reason", "note"), [
    ("return_to_supplier", "return", "Lỗi bao bì; Nhà cung cấp: Công ty X"),
    ("destruction", "destroy", "Lỗi bao bì; Đơn vị tiêu hủy: Công ty X"),
    ("transfer_out", "transfer-out", "Lỗi bao bì; Cơ sở nhận: Công ty X"),
    ("recall_return", "recall", "Lỗi bao bì; Nhà cung cấp: Công ty X"),
])
def test_issues_are_stock_outs_with_the_reason_of_their_kind(kind, reason, note):
    issue = IssueDoc(number="PX-3", facility=STORE, kind=kind, issued_at=MORNING_UTC, receiver_name="Công ty X",
                     note="Lỗi bao bì", lines=(stock_line(quantity=20),))
    assert to_transaction(issue) == ("stock-out", {
        "transaction_date": "2026-03-02T09:00:00+07:00", "reason": reason, "reference_number": "PX-3",
        "note": note, "items": [item("VIEN", 20, 450)]})


def test_void_of_a_reported_sale_is_a_stock_in_return_naming_the_original_invoice():
    original = sale([hapacol_line()])
    void = VoidDoc(facility=STORE, document_type="sale", number="HD-0001", voided_at=MORNING_UTC,
                   reason="Khách đổi ý", original=original)
    assert to_transaction(void) == ("stock-in", {
        "transaction_date": "2026-03-02T09:00:00+07:00", "reason": "return", "reference_number": "HD-0001-VOID",
        "note": "Hủy hóa đơn HD-0001: Khách đổi ý",
        "items": [item("HOP", 2, 45_000, gtin="8931000000016")]})


def test_void_of_a_receipt_has_no_v2_counterpart_and_is_held_for_a_person():
    void = VoidDoc(facility=STORE, document_type="receipt", number="PN-7", voided_at=MORNING_UTC)
    with pytest.raises(MissingDataError) as caught:
        to_transaction(void)
    assert caught.value.problems[0]["field"] == "document_type"


def test_opening_balance_reports_current_stock_per_lot_and_leaves_empty_lots_out():
    doc = OpeningBalanceDoc(number="TDK-FAC-01", facility=STORE, as_of=MORNING_UTC, note="Tồn đầu kỳ",
                            lines=(stock_line(lot="L1", quantity=120), stock_line(lot="L2", quantity=0)))
    assert to_transaction(doc) == ("stock-in", {
        "transaction_date": "2026-03-02T09:00:00+07:00", "reason": "opening-balance",
        "reference_number": "TDK-FAC-01", "note": "Tồn đầu kỳ", "items": [item("VIEN", 120, 450)]})


def test_stock_count_is_a_stock_taking_with_system_and_actual_quantities():
    doc = StockTakingDoc(number="KK-1", facility=STORE, counted_at=MORNING_UTC, note="Kiểm kê tháng 3", lines=(
        StockCountLineDoc(drug=HAPACOL, lot="L1", expiry=date(2027, 6, 30), system_quantity=120, actual_quantity=118),
        StockCountLineDoc(drug=HAPACOL, lot="L2", expiry=date(2027, 6, 30), system_quantity=5, actual_quantity=0),
    ))
    assert to_transaction(doc) == ("stock-taking", {
        "transaction_date": "2026-03-02T09:00:00+07:00", "reference_number": "KK-1", "note": "Kiểm kê tháng 3",
        "items": [item("VIEN", 118, None) | {"system_quantity": 120, "actual_quantity": 118},
                  item("VIEN", 0, None, "L2") | {"system_quantity": 5, "actual_quantity": 0}]})


def test_a_product_without_v2_id_or_unit_holds_the_document_listing_every_problem():
    unknown = DrugInfo(national_code="TQG000009", name="Thuốc lạ", active_ingredient="X", base_unit="Viên")
    doc = ReceiptDoc(number="PN-8", facility=STORE, kind="supplier", received_at=MORNING_UTC,
                     lines=(stock_line(drug=unknown), stock_line(lot=" ")))
    with pytest.raises(MissingDataError) as caught:
        to_transaction(doc)
    assert caught.value.problems == [
        {"product": "Thuốc lạ", "field": "drug_id", "reason": "is missing (the product has no CSDL Dược v2 id)"},
        {"product": "Thuốc lạ", "field": "unit_id", "reason": "is missing for the unit 'Viên'"},
        {"product": "Hapacol 500", "field": "batch_no", "reason": "is missing"},
    ]


def test_a_reference_number_over_fifty_characters_holds_the_document():
    with pytest.raises(MissingDataError) as caught:
        to_transaction(sale([hapacol_line()], number="H" * 51))
    assert caught.value.problems == [
        {"product": None, "field": "reference_number", "reason": "is 51 characters long, the limit is 50"}]


def test_lots_that_do_not_add_up_to_the_quantity_sold_hold_the_sale():
    with pytest.raises(MissingDataError) as caught:
        to_transaction(sale([hapacol_line(quantity=2, lots=(("L1", 150),))]))
    assert [p["field"] for p in caught.value.problems] == ["quantity"]


def test_non_drug_goods_are_left_out_and_a_document_of_only_them_reports_nothing():
    bandage = SaleLineDoc(drug=BANDAGE, unit_name="Miếng", unit_factor=1, unit_price=2_000, quantity=3,
                          allocations=(LotQuantity("B1", date(2028, 1, 31), 3),))
    _, payload = to_transaction(sale([hapacol_line(), bandage]))
    assert [i["drug_id"] for i in payload["items"]] == ["893000000001"]
    with pytest.raises(NothingToReportError):
        to_transaction(sale([bandage]))


def test_naive_timestamps_are_a_programming_error():
    naive = ReceiptDoc(number="PN-9", facility=STORE, kind="supplier", received_at=datetime(2026, 3, 1, 9, 0),
                       lines=(stock_line(),))
    with pytest.raises(ValueError, match="timezone-aware"):
        to_transaction(naive)
