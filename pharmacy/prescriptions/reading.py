"""What the counter shows of a prescription: patient, prescriber, validity, flags, and each prescribed line with
its sold and remaining quantities, the product it matches and the cart line that fills it."""
from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from connectors.eprescription.codes import PRESCRIPTION_TYPES

from . import snapshot
from .dispensing import line_states
from .matching import match_lines, prescription_unit
from .models import Prescription
from .rules import is_controlled_code, is_substitution, validity


def _product(product) -> dict:
    return {"id": product.id, "name": product.name, "national_code": product.national_code,
            "strength": product.strength, "prescription_only": product.prescription_only}


def _substitution(line, product) -> dict:
    """Whether giving `product` for this prescribed line is a substitution (the counter then asks for a reason)."""
    return {"substitution": is_substitution(line.ma_thuoc, product.national_code)}


def describe(session: Session, prescription: Prescription, *, today: date, validity_days: int) -> dict:
    """The prescription as plain data; `lines` is empty for paper and unverified records."""
    found = snapshot.national(prescription)
    code = prescription.national_code
    valid = validity(prescription.issued_on, today, validity_days)
    view = {
        "prescription": prescription, "code": code, "type": code[-1] if code else None,
        "type_name": PRESCRIPTION_TYPES.get(code[-1]) if code else None,
        "controlled": is_controlled_code(code), "validity": valid.as_dict(), "lines": [], "warnings": [],
        "patient": {"name": prescription.patient_name, "cccd": prescription.patient_cccd or None},
        "doctor": prescription.doctor_name, "facility": prescription.facility_name,
        "diagnoses": [], "issued_at": None, "follow_up_on": None, "notes": "", "advice": "",
    }
    if found is not None:
        view.update(_national_parts(found))
        view["lines"] = _lines(session, prescription, found)
        if all(line["remaining"] == 0 for line in view["lines"]):
            view["warnings"].append("fully_dispensed")
    if valid.expired:
        view["warnings"].append("expired")
    if view["controlled"]:
        view["warnings"].append("controlled")
    if prescription.needs_recheck:
        view["warnings"].append("unverified")
    if prescription.differences:
        view["warnings"].append("differs")
    return view


def _national_parts(found) -> dict:
    return {
        "patient": {"name": found.ho_ten_benh_nhan, "birth_date": found.ngay_sinh_benh_nhan,
                    "gender": found.gender, "health_id": found.ma_dinh_danh_y_te or None,
                    "insurance_number": found.ma_so_the_bao_hiem_y_te or None, "address": found.dia_chi},
        "doctor": found.ten_bac_si, "facility": found.ten_co_so_kham_chua_benh,
        "diagnoses": [{"code": d.ma_chan_doan, "name": d.ten_chan_doan} for d in found.chan_doan],
        "issued_at": found.ngay_gio_ke_don, "follow_up_on": found.ngay_tai_kham,
        "notes": found.luu_y, "advice": found.loi_dan,
    }


def _lines(session: Session, prescription: Prescription, found) -> list[dict]:
    states = line_states(session, prescription)
    matches = match_lines(session, found.lines)
    lines = []
    for line in found.lines:
        key = str(line.id)
        state, match = states[key], matches[key]
        item = {
            "id": key, "national_code": line.ma_thuoc, "brand": line.biet_duoc, "name": line.ten_thuoc,
            "unit": line.don_vi_tinh, "usage": line.cach_dung, "prescribed": state.prescribed,
            "sold": state.sold, "sold_elsewhere": state.sold_national, "pending_here": state.pending_local,
            "remaining": state.remaining, "matched_by": "code" if match.by_code else None,
            "product": _product(match.product) | _substitution(line, match.product) if match.product else None,
            "candidates": [_product(p) | _substitution(line, p) | {"unit": prescription_unit(p, line.don_vi_tinh).name}
                           for p in match.candidates],
            "cart": None,
        }
        if match.product and state.remaining:
            item["cart"] = {"product_id": match.product.id, "prescription_line_id": key,
                            "unit": prescription_unit(match.product, line.don_vi_tinh).name,
                            "quantity": state.remaining}
        lines.append(item)
    return lines
