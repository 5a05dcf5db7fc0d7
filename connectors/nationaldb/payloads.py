"""Builders of legacy national drug database payloads from plain document snapshots."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from connectors.documents import (
    DrugInfo,
    IncompleteDocumentError,
    IssueDoc,
    NothingToReportError,
    ReceiptDoc,
    SaleDoc,
    SaleLineDoc,
    StockLineDoc,
    VoidDoc,
    priced_pieces,
)

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
WALK_IN_CUSTOMER = "Khách lẻ"

# Document kinds, named like the API path segments.
INVOICE, RECEIPT, ISSUE = "hoa_don", "phieu_nhap", "phieu_xuat"

# A transfer in has no legacy type of its own; goods from another facility are recorded as goods from a supplier
# (the sending store), so the national stock of the receiving store stays right.
RECEIPT_TYPES = {"supplier": 1, "customer_return": 2, "opening": 3, "transfer_in": 1}
# A recall return has no legacy type of its own: a return to supplier (2) whose note names the decision.
ISSUE_TYPES = {"return_to_supplier": 2, "destruction": 3, "transfer_out": 4, "recall_return": 2}
VOID_KINDS = {"sale": INVOICE, "receipt": RECEIPT, "issue": ISSUE}


def local_day(moment: datetime | date | None) -> str:
    """`yyyyMMdd` in Asia/Ho_Chi_Minh for an aware datetime, the date itself for a date, "" when unknown."""
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        if moment.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        moment = moment.astimezone(LOCAL_TZ)
    return moment.strftime("%Y%m%d")


def is_reported(drug: DrugInfo) -> bool:
    """Non-drug goods (no active ingredient: devices, supplies) are not reported."""
    return bool(drug.active_ingredient.strip())


class _Checker:
    """Collects every missing or too-long value of one document, so a person sees all of them at once."""

    def __init__(self):
        self.problems: list[dict] = []

    def text(self, value: str | None, field: str, limit: int | None, *, product: str | None = None,
             required: bool = False) -> str:
        value = (value or "").strip()
        if required and not value:
            self.problems.append({"product": product, "field": field, "reason": "is missing"})
        elif limit is not None and len(value) > limit:
            self.problems.append({"product": product, "field": field,
                                  "reason": f"is {len(value)} characters long, the limit is {limit}"})
        return value

    def fail(self, field: str, reason: str, product: str | None = None) -> None:
        self.problems.append({"product": product, "field": field, "reason": reason})

    def done(self, payload: dict) -> dict:
        if self.problems:
            raise IncompleteDocumentError(self.problems)
        return payload


def _drug_fields(check: _Checker, drug: DrugInfo, registration_key: str) -> dict:
    """The identification fields every detail line carries."""
    name = drug.name
    return {
        "ma_thuoc": check.text(drug.national_code, "ma_thuoc", 50, product=name, required=True),
        "ten_thuoc": check.text(drug.name, "ten_thuoc", 500, product=name, required=True),
        registration_key: check.text(drug.registration_no, registration_key, 50, product=name),
    }


def _lot_fields(check: _Checker, lot: str, manufactured: date | None, expiry: date, product: str) -> dict:
    return {
        "so_lo": check.text(lot, "so_lo", 50, product=product, required=True),
        "ngay_san_xuat": local_day(manufactured),
        "han_dung": local_day(expiry),
    }


def invoice_payload(sale: SaleDoc) -> dict:
    """The `hoa_don` body: one detail line per lot drawn, non-drug goods left out."""
    check = _Checker()
    lines = [line for line in sale.lines if is_reported(line.drug)]
    if not lines:
        raise NothingToReportError(f"sale {sale.number} holds no drugs")
    details = [detail for line in lines for detail in _invoice_details(check, line)]
    return check.done({
        "ma_hoa_don": check.text(sale.number, "ma_hoa_don", 50, required=True),
        "ma_co_so": check.text(sale.facility.code, "ma_co_so", 50, required=True),
        "ma_don_thuoc_quoc_gia": check.text(sale.national_prescription_code, "ma_don_thuoc_quoc_gia", 50),
        "ngay_ban": local_day(sale.sold_at),
        "ho_ten_nguoi_ban": check.text(sale.seller_name, "ho_ten_nguoi_ban", 50, required=True),
        "ho_ten_khach_hang": check.text(sale.customer_name, "ho_ten_khach_hang", 50) or WALK_IN_CUSTOMER,
        "hoa_don_chi_tiet": details,
    })


def _invoice_details(check: _Checker, line: SaleLineDoc) -> list[dict]:
    drug, name = line.drug, line.drug.name
    common = {
        **_drug_fields(check, drug, "so_dang_ky"),
        "ham_luong": check.text(drug.strength, "ham_luong", 500, product=name, required=True),
        "duong_dung": check.text(drug.route, "duong_dung", 200, product=name),
        "lieu_dung": check.text(drug.dosage, "lieu_dung", None, product=name, required=True),
    }
    if not _quantities_agree(check, line):
        return []
    # No discount field: each detail carries the net unit price, any rounding remainder on a split-off detail of
    # its own, so that Σ thanh_tien is the line's net amount exactly.
    if len(line.allocations) == 1:
        # Drawn from one lot: sent in the unit sold.
        lot = line.allocations[0]
        unit = check.text(line.unit_name, "don_vi_tinh", 50, product=name, required=True)
        return [_invoice_detail(check, common, lot, unit, quantity, price, line.unit_factor, name)
                for lot, quantity, price in priced_pieces(line.net, [(lot, line.quantity)])]
    # Split across lots: each lot in the base unit, so every quantity is a whole number.
    unit = check.text(drug.base_unit, "don_vi_tinh", 50, product=name, required=True)
    return [_invoice_detail(check, common, lot, unit, quantity, price, 1, name)
            for lot, quantity, price in priced_pieces(line.net, [(lot, lot.quantity) for lot in line.allocations])]


def _quantities_agree(check: _Checker, line: SaleLineDoc) -> bool:
    name = line.drug.name
    if line.quantity <= 0 or line.unit_factor <= 0:
        check.fail("so_luong", "quantity and unit factor must be greater than 0", name)
        return False
    if not line.allocations:
        check.fail("so_lo", "no lot recorded for the line", name)
        return False
    drawn = sum(lot.quantity for lot in line.allocations)
    if drawn != line.quantity * line.unit_factor or any(lot.quantity <= 0 for lot in line.allocations):
        check.fail("so_luong", f"lots hold {drawn} base units, the line sold {line.quantity * line.unit_factor}",
                   name)
        return False
    return True


def _invoice_detail(check, common, lot, unit, quantity, price, factor, name) -> dict:
    return {
        **common,
        **_lot_fields(check, lot.lot, lot.manufactured, lot.expiry, name),
        "don_vi_tinh": unit,
        "so_luong": quantity,
        "don_gia": price,
        "thanh_tien": quantity * price,
        "ty_le_quy_doi": factor,
    }


def _stock_details(check: _Checker, lines: tuple[StockLineDoc, ...]) -> list[dict]:
    """Receipt and issue lines: always in the base unit."""
    details = []
    for line in lines:
        name = line.drug.name
        if line.quantity <= 0:
            check.fail("so_luong", "must be greater than 0", name)
        details.append({
            **_drug_fields(check, line.drug, "so_dklh"),
            **_lot_fields(check, line.lot, line.manufactured, line.expiry, name),
            "so_luong": line.quantity,
            "don_gia": line.unit_price,
            "don_vi_tinh": check.text(line.drug.base_unit, "don_vi_tinh", 50, product=name, required=True),
        })
    return details


def _stock_header(check: _Checker, number: str, facility_code: str, note: str, note_required: bool) -> dict:
    return {
        "ma_phieu": check.text(number, "ma_phieu", 50, required=True),
        "ma_co_so": check.text(facility_code, "ma_co_so", 50, required=True),
        "ghi_chu": check.text(note, "ghi_chu", 500, required=note_required),
    }


def _reported_lines(lines: tuple[StockLineDoc, ...], number: str) -> tuple[StockLineDoc, ...]:
    kept = tuple(line for line in lines if is_reported(line.drug))
    if not kept:
        raise NothingToReportError(f"document {number} holds no drugs")
    return kept


def receipt_payload(receipt: ReceiptDoc) -> dict:
    """The `phieu_nhap` body: goods from a supplier (1), a customer return (2) or opening stock (3)."""
    if receipt.kind not in RECEIPT_TYPES:
        raise ValueError(f"unknown receipt kind {receipt.kind!r}")
    check = _Checker()
    kind = RECEIPT_TYPES[receipt.kind]
    details = _stock_details(check, _reported_lines(receipt.lines, receipt.number))
    return check.done({
        **_stock_header(check, receipt.number, receipt.facility.code, receipt.note, note_required=False),
        "ngay_nhap": local_day(receipt.received_at),
        "loai_phieu_nhap": kind,
        "ten_co_so_cung_cap": check.text(receipt.supplier_name, "ten_co_so_cung_cap", 500, required=kind == 1),
        "chi_tiet": details,
    })


def issue_payload(issue: IssueDoc) -> dict:
    """The `phieu_xuat` body: return to supplier (2), destruction (3) or transfer out (4); the note is the reason."""
    if issue.kind not in ISSUE_TYPES:
        raise ValueError(f"unknown issue kind {issue.kind!r}")
    check = _Checker()
    kind = ISSUE_TYPES[issue.kind]
    details = _stock_details(check, _reported_lines(issue.lines, issue.number))
    return check.done({
        **_stock_header(check, issue.number, issue.facility.code, issue.note, note_required=True),
        "ngay_xuat": local_day(issue.issued_at),
        "loai_phieu_xuat": kind,
        "ten_co_so_nhan": check.text(issue.receiver_name, "ten_co_so_nhan", 500, required=kind != 3),
        "chi_tiet": details,
    })


def delete_target(void: VoidDoc) -> tuple[str, str, str]:
    """`(kind, ma_co_so, number)` of the DELETE that cancels an already-sent document."""
    if void.document_type not in VOID_KINDS:
        raise ValueError(f"unknown document type {void.document_type!r}")
    check = _Checker()
    code = check.text(void.facility.code, "ma_co_so", 50, required=True)
    number = check.text(void.number, "ma_phieu" if void.document_type != "sale" else "ma_hoa_don", 50, required=True)
    check.done({})
    return VOID_KINDS[void.document_type], code, number
