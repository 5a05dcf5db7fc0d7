"""Reading a stored lookup snapshot back, and the differences between a hand record and the national prescription."""
from __future__ import annotations

from connectors.eprescription.models import Prescription as NationalPrescription
from connectors.eprescription.models import parse_prescription

from ..text import nfc
from .models import Prescription

COMPARED = (("patient_name", "ho_ten_benh_nhan"), ("doctor_name", "ten_bac_si"),
            ("facility_name", "ten_co_so_kham_chua_benh"))


def national(prescription: Prescription) -> NationalPrescription | None:
    """The stored lookup as the connector's parsed model, or None when there is none."""
    if not prescription.lookup_snapshot:
        return None
    return parse_prescription(prescription.lookup_snapshot)


def issued_on(found: NationalPrescription):
    moment = found.ngay_gio_ke_don
    return moment.date() if moment else None


def _same(a: str, b: str) -> bool:
    """Equal but for case and spacing (diacritics count: "Ân" is not "An")."""
    return " ".join(nfc(a).casefold().split()) == " ".join(nfc(b).casefold().split())


def differences(recorded: Prescription, found: NationalPrescription, dispensed: list[dict]) -> list[dict]:
    """What the pharmacist typed (and gave) that the national prescription says otherwise."""
    found_values = {"ho_ten_benh_nhan": found.ho_ten_benh_nhan, "ten_bac_si": found.ten_bac_si,
                    "ten_co_so_kham_chua_benh": found.ten_co_so_kham_chua_benh}
    listed = []
    for ours, theirs in COMPARED:
        mine, national_value = getattr(recorded, ours) or "", found_values[theirs]
        if mine and not _same(mine, national_value):
            listed.append({"field": ours, "recorded": mine, "national": national_value})
    if recorded.issued_on and issued_on(found) and recorded.issued_on != issued_on(found):
        listed.append({"field": "issued_on", "recorded": recorded.issued_on.isoformat(),
                       "national": issued_on(found).isoformat()})
    codes = {(line.ma_thuoc or "").casefold() for line in found.lines}
    for item in dispensed:
        if item["code"] and item["code"].casefold() not in codes:
            listed.append({"field": "product", "recorded": item["name"], "national": "không có trong đơn"})
    return listed
