"""The CSDL Dược v2 sandbox's checks: what a submission must look like, and why processing rejects one."""
from __future__ import annotations

from datetime import date, datetime

REASONS = {
    "stock-in": {"supplier", "opening-balance", "return", "transfer-in"},
    "stock-out": {"sale-retail", "return", "transfer-out", "recall", "destroy"},
    "stock-taking": None,  # the spec lists no reasons for stock counts: any (or none) is accepted
}
REFERENCE_LIMIT = 50


def validate_submission(kind: str, payload) -> list[str]:
    """Messages for every structural error (answered synchronously with 400); empty when the shape is right."""
    if not isinstance(payload, dict):
        return ["body: phải là một đối tượng JSON"]
    errors = []
    if not _is_iso_datetime(payload.get("transaction_date")):
        errors.append("transaction_date: bắt buộc, định dạng ISO 8601 có múi giờ (vd. 2026-03-01T09:30:00+07:00)")
    reference = payload.get("reference_number")
    if not isinstance(reference, str) or not reference.strip():
        errors.append("reference_number: bắt buộc")
    elif len(reference) > REFERENCE_LIMIT:
        errors.append(f"reference_number: tối đa {REFERENCE_LIMIT} ký tự")
    allowed = REASONS[kind]
    if allowed is not None and payload.get("reason") not in allowed:
        errors.append(f"reason: {payload.get('reason')!r} không hợp lệ cho {kind} ({', '.join(sorted(allowed))})")
    if payload.get("note") is not None and not isinstance(payload.get("note"), str):
        errors.append("note: phải là chuỗi")
    items = payload.get("items")
    if not isinstance(items, list) or not items:
        errors.append("items: cần ít nhất một dòng")
        return errors
    for index, item in enumerate(items):
        errors.extend(f"items[{index}].{message}" for message in _item_errors(kind, item))
    return errors


def _item_errors(kind: str, item) -> list[str]:
    if not isinstance(item, dict):
        return ["phải là một đối tượng"]
    errors = [f"{key}: bắt buộc" for key in ("drug_id", "unit_id", "batch_no")
              if not isinstance(item.get(key), str) or not item[key].strip()]
    counting = kind == "stock-taking"
    quantity_keys = ("quantity", "system_quantity", "actual_quantity") if counting else ("quantity",)
    for key in quantity_keys:
        if not _whole(item.get(key), allow_zero=counting):
            errors.append(f"{key}: phải là số nguyên {'không âm' if counting else 'dương'}")
    if not _is_iso_date(item.get("expiry_date")):
        errors.append("expiry_date: bắt buộc, định dạng YYYY-MM-DD")
    price = item.get("price")
    if price is not None and (isinstance(price, bool) or not isinstance(price, (int, float)) or price < 0):
        errors.append("price: phải là số không âm")
    gtin = item.get("gtin")
    if gtin is not None and (not isinstance(gtin, str) or not gtin.isdigit()):
        errors.append("gtin: chỉ gồm chữ số")
    return errors


def processing_messages(kind: str, payload: dict, drugs: dict[str, dict], opening_done: bool) -> list[str]:
    """Why processing rejects an accepted transaction (unknown drugs or units, the opening-balance rule)."""
    messages = []
    if kind == "stock-out" and payload.get("reason") == "sale-retail" and not opening_done:
        messages.append("Cơ sở chưa có phiếu tồn đầu kỳ (opening-balance) được ghi nhận: chưa thể ghi nhận bán lẻ")
    for index, item in enumerate(payload["items"]):
        drug = drugs.get(item["drug_id"])
        if drug is None:
            messages.append(f"items[{index}].drug_id: mã thuốc {item['drug_id']} không có trong CSDL Dược")
        elif item["unit_id"] not in {p.get("unit_id") for p in drug.get("packagings") or ()}:
            messages.append(f"items[{index}].unit_id: đơn vị {item['unit_id']} không thuộc thuốc {item['drug_id']}")
    return messages


def _whole(value, *, allow_zero: bool) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and (value > 0 or (allow_zero and value == 0))


def _is_iso_datetime(value) -> bool:
    if not isinstance(value, str) or "T" not in value:
        return False
    try:
        return datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False


def _is_iso_date(value) -> bool:
    if not isinstance(value, str) or len(value) != 10:
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True
