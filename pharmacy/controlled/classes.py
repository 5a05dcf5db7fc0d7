"""The control classes (stored as products.special_control_type 0–6, shown as names) and the suggestion a 12-digit
registration number gives (digit 6, from 01/10/2026), which an owner confirms."""
from __future__ import annotations

from ..errors import msg

CONTROL_CLASSES = ("none", "narcotic", "psychotropic", "precursor", "toxic", "banned_in_sectors", "radioactive")
STORE_TYPES = ("nha_thuoc", "quay_thuoc")
# Retailed only by a nhà thuốc (never a quầy thuốc), on the special prescription form when not a combination.
PHARMACY_ONLY = ("narcotic", "psychotropic", "precursor")
SPECIAL_FORM = {"narcotic": "N", "psychotropic": "H", "precursor": "H"}
PRESCRIPTION_FORMS = ("", "N", "H")  # "" the ordinary form
LABELS = {
    "narcotic": msg("narcotic"), "psychotropic": msg("psychotropic"), "precursor": msg("precursor"),
    "toxic": msg("toxic"), "banned_in_sectors": msg("banned in some sectors"), "radioactive": msg("radioactive"),
}


def class_name(control_type: int | None) -> str:
    return CONTROL_CLASSES[control_type] if control_type and 0 < control_type < len(CONTROL_CLASSES) else "none"


def required_form(product) -> str:
    """The prescription form a product is sold on: N or H for a controlled one that is no combination, else ""."""
    return "" if product.controlled_combination else SPECIAL_FORM.get(class_name(product.special_control_type), "")


def class_code(name: str) -> int:
    return CONTROL_CLASSES.index(name)


def suggested_class(registration_no: str | None) -> int | None:
    """Digit 6 of a 12-digit registration number (0 none … 6 radioactive), or None for other numbers."""
    digits = (registration_no or "").strip()
    if len(digits) != 12 or not digits.isdigit() or digits[5] not in "0123456":
        return None
    return int(digits[5])


def form_of_code(code: str | None) -> str:
    """The prescription form an e-prescription code's suffix names: `n` narcotic (N), `h` psychotropic (H)."""
    suffix = (code or "")[-1:].lower()
    return {"n": "N", "h": "H"}.get(suffix, "")
