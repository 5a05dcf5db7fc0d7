"""The dispensing-report payload (cap-nhat-don-thuoc), built from a DispenseDoc snapshot exactly per the spec."""
from __future__ import annotations

from connectors.documents import DispenseDoc, DispenseLineDoc, DrugInfo, IncompleteDocumentError

from .codes import normalize_code


def dispense_payload(doc: DispenseDoc) -> dict:
    """One report per (prescription, invoice): what was given now against each prescribed line.

    Raises IncompleteDocumentError (the message is held) when a product lacks its national code.
    """
    missing = [f"line {line.line_no} ({line.drug.name}): product has no national drug code"
               for line in doc.lines if not line.drug.national_code]
    if not doc.facility.code:
        missing.append("store has no national facility code")
    if not doc.lines:
        missing.append("nothing was dispensed")
    if missing:
        raise IncompleteDocumentError(missing)
    return {
        "ma_don_thuoc": normalize_code(doc.prescription_code),
        "ma_hoa_don": doc.invoice_number,
        "ma_dinh_danh_co_so_cung_ung_thuoc": doc.facility.code,
        "ten_co_so_cung_ung_thuoc": doc.facility.name,
        "so_dien_thoai_co_so_cung_ung_thuoc": doc.facility.phone,
        "dia_chi_co_so_cung_ung_thuoc": doc.facility.address,
        "thong_tin_thuoc": [_line(line) for line in doc.lines],
    }


def _line(line: DispenseLineDoc) -> dict:
    return {
        "ma_thuoc_da_ke_don": line.prescribed_line_id,
        "ma_thuoc": line.drug.national_code,
        "biet_duoc": line.drug.name,
        "ten_thuoc": line.prescribed_name if line.prescribed_name and not line.substituted
        else generic_name(line.drug),
        "don_vi_tinh": line.unit_name,
        "cach_dung": line.usage,
        "so_luong": line.prescribed_quantity,
        "so_luong_ban": line.quantity,
    }


def generic_name(drug: DrugInfo) -> str:
    """Active ingredient and strength ("Amoxicillin 500mg"), the way prescriptions name a drug; else its name."""
    return " ".join(part for part in (drug.active_ingredient, drug.strength) if part) or drug.name
