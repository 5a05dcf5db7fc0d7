"""The legacy API sandbox's payload checks, answering with the real server's two 400 shapes."""
from __future__ import annotations

import re
from datetime import datetime

TEXT, DATE, QUANTITY, MONEY, LIST = "text", "date", "quantity", "money", "list"
_DAY = re.compile(r"\d{8}")

# (key, type, max length, required). Unknown keys are ignored, so a misspelt required key reads as missing.
_DRUG_LINE = (
    ("ma_thuoc", TEXT, 50, True), ("ten_thuoc", TEXT, 500, True), ("so_lo", TEXT, 50, True),
    ("ngay_san_xuat", DATE, None, False), ("han_dung", DATE, None, True), ("don_vi_tinh", TEXT, 50, True),
    ("so_luong", QUANTITY, None, True), ("don_gia", MONEY, None, True),
)
RULES = {
    "hoa_don": {
        "header": (
            ("ma_hoa_don", TEXT, 50, True), ("ma_co_so", TEXT, 50, True), ("ma_don_thuoc_quoc_gia", TEXT, 50, False),
            ("ngay_ban", DATE, None, True), ("ho_ten_nguoi_ban", TEXT, 50, False),
            ("ho_ten_khach_hang", TEXT, 50, False), ("hoa_don_chi_tiet", LIST, None, True),
        ),
        "lines_key": "hoa_don_chi_tiet",
        "line": _DRUG_LINE + (
            ("ham_luong", TEXT, 500, True), ("duong_dung", TEXT, 200, False), ("lieu_dung", TEXT, None, True),
            ("so_dang_ky", TEXT, 50, False), ("thanh_tien", MONEY, None, True),
        ),
    },
    "phieu_nhap": {
        "header": (
            ("ma_phieu", TEXT, 50, True), ("ma_co_so", TEXT, 50, True), ("ngay_nhap", DATE, None, True),
            ("ghi_chu", TEXT, 500, False), ("ten_co_so_cung_cap", TEXT, 500, False), ("chi_tiet", LIST, None, True),
        ),
        "type_key": ("loai_phieu_nhap", (1, 2, 3)),
        "lines_key": "chi_tiet",
        "line": _DRUG_LINE + (("so_dklh", TEXT, 50, False),),
    },
    "phieu_xuat": {
        "header": (
            ("ma_phieu", TEXT, 50, True), ("ma_co_so", TEXT, 50, True), ("ngay_xuat", DATE, None, True),
            ("ghi_chu", TEXT, 500, True), ("ten_co_so_nhan", TEXT, 500, False), ("chi_tiet", LIST, None, True),
        ),
        "type_key": ("loai_phieu_xuat", (2, 3, 4)),
        "lines_key": "chi_tiet",
        "line": _DRUG_LINE + (("so_dklh", TEXT, 50, False),),
    },
}
# Documents that must name the other party: goods from a supplier (or another store), goods to another store or back.
COUNTERPARTS = {
    ("phieu_nhap", 1): ("ten_co_so_cung_cap", "Thiếu tên cơ sở cung cấp"),
    ("phieu_xuat", 2): ("ten_co_so_nhan", "Thiếu tên cơ sở nhận"),
    ("phieu_xuat", 4): ("ten_co_so_nhan", "Thiếu tên cơ sở nhận hàng chuyển kho"),
}
NUMBER_KEYS = {"hoa_don": "ma_hoa_don", "phieu_nhap": "ma_phieu", "phieu_xuat": "ma_phieu"}
LOGIN_RULES = (("usr", TEXT, 50, True), ("pwd", TEXT, 30, True))


def pascal(key: str) -> str:
    """The C# property name ABP reports for a JSON key: `so_luong` -> `So_luong`."""
    return key[:1].upper() + key[1:]


def member(key: str, prefix: str = "input") -> str:
    """ABP names members after the C# property: `input.Chi_tiet[0].So_luong`."""
    return f"{prefix}.{pascal(key)}"


def envelope(errors: list[dict]) -> dict:
    """The ASP.NET Boilerplate validation answer."""
    details = "".join(f" - {item['message']}\r\n" for item in errors)
    return {
        "success": False,
        "result": None,
        "error": {
            "code": 0,
            "message": "Your request is not valid!",
            "details": f"The following errors were detected during validation.\r\n{details}",
            "validationErrors": errors,
        },
        "unAuthorizedRequest": False,
        "__abp": True,
    }


def validate_fields(data, rules, prefix: str = "input") -> list[dict]:
    """Validation items for one JSON object against (key, type, limit, required) rules."""
    if not isinstance(data, dict):
        return [{"message": "The input is not a valid object.", "members": [prefix]}]
    errors = []
    for key, kind, limit, required in rules:
        problem = _field_problem(data.get(key), kind, limit, required, pascal(key))
        if problem:
            errors.append({"message": problem, "members": [member(key, prefix)]})
    return errors


def _field_problem(value, kind: str, limit: int | None, required: bool, name: str) -> str | None:
    if value is None or value == "" or value == []:
        return f"The {name} field is required." if required else None
    if kind == LIST:
        return None if isinstance(value, list) else f"The field {name} must be a list."
    if kind in (TEXT, DATE) and not isinstance(value, str):
        return f"The field {name} must be a string."
    if kind == TEXT and limit is not None and len(value) > limit:
        return f"The field {name} must be a string with a maximum length of {limit}."
    if kind == DATE and not _is_day(value):
        return f"The field {name} must be a date in yyyyMMdd format."
    if kind in (QUANTITY, MONEY) and (not isinstance(value, (int, float)) or isinstance(value, bool)):
        return f"The field {name} must be a number."
    if kind == QUANTITY and (value <= 0 or not float(value).is_integer()):
        return f"The field {name} must be a whole number greater than 0."
    if kind == MONEY and value < 0:
        return f"The field {name} must not be negative."
    return None


def _is_day(value: str) -> bool:
    if not _DAY.fullmatch(value):
        return False
    try:
        datetime.strptime(value, "%Y%m%d")
    except ValueError:
        return False
    return True


def validate_document(kind: str, data) -> list[dict]:
    """Every validation item of a document: header, type code, then each detail line."""
    rules = RULES[kind]
    errors = validate_fields(data, rules["header"])
    if not isinstance(data, dict):
        return errors
    if "type_key" in rules:
        key, allowed = rules["type_key"]
        value = data.get(key)
        if value is None:
            errors.append({"message": f"The {pascal(key)} field is required.", "members": [member(key)]})
        elif value not in allowed or isinstance(value, bool):
            errors.append({"message": f"The field {pascal(key)} must be one of {allowed}.", "members": [member(key)]})
    lines = data.get(rules["lines_key"])
    if isinstance(lines, list):
        for i, line in enumerate(lines):
            errors += validate_fields(line, rules["line"], f"{member(rules['lines_key'])}[{i}]")
    return errors


def business_problem(kind: str, data: dict, facility_code: str) -> str | None:
    """The first business-rule refusal of a valid document, in the server's words."""
    if data["ma_co_so"] != facility_code:
        return "Mã cơ sở không chính xác"
    counterpart = COUNTERPARTS.get((kind, data.get("loai_phieu_nhap", data.get("loai_phieu_xuat"))))
    if counterpart and not str(data.get(counterpart[0]) or "").strip():
        return counterpart[1]
    if kind != "hoa_don":
        return None
    for line in data["hoa_don_chi_tiet"]:
        factor = line.get("ty_le_quy_doi")
        if not isinstance(factor, (int, float)) or isinstance(factor, bool) or factor <= 0:
            return f"Thiếu tỷ lệ quy đổi của thuốc {line['ma_thuoc']}"
        if line["thanh_tien"] != line["so_luong"] * line["don_gia"]:
            return f"Thành tiền của thuốc {line['ma_thuoc']} không bằng số lượng × đơn giá"
    return None
