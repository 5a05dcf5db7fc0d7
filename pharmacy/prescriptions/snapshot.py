"""Reading a stored lookup snapshot back, and the differences between a hand record and the national prescription."""
from __future__ import annotations

from dataclasses import dataclass

from connectors.eprescription.models import Prescription as NationalPrescription
from connectors.eprescription.models import parse_prescription

from ..errors import msg
from ..text import nfc
from ..wording import record_text
from .models import Prescription

COMPARED = (("patient_name", "ho_ten_benh_nhan"), ("doctor_name", "ten_bac_si"),
            ("facility_name", "ten_co_so_kham_chua_benh"))


def national(prescription: Prescription) -> NationalPrescription | None:
    """The stored lookup as the connector's parsed model, or None when there is none."""
    if not prescription.lookup_snapshot:
        return None
    return parse_prescription(prescription.lookup_snapshot)


@dataclass(frozen=True)
class PrescribedLine:
    """One prescribed drug as the domain reasons on it (quantities in the prescription's unit)."""

    id: str
    code: str | None        # the national drug code prescribed (None when the prescriber left it out)
    name: str
    unit: str               # the prescription's unit name
    prescribed: int
    sold: int               # already reported as dispensed, by any pharmacy, when it was last looked up
    usage: str = ""         # the prescriber's directions (cach_dung), printed on the dosage label


@dataclass(frozen=True)
class PrescribedDrugs:
    """What a national prescription prescribes; `code` is its national code."""

    code: str
    lines: tuple[PrescribedLine, ...]

    def line(self, line_id) -> PrescribedLine:
        """The line with this id (compared as text); KeyError when the prescription has none."""
        for candidate in self.lines:
            if candidate.id == str(line_id):
                return candidate
        raise KeyError(f"prescription {self.code} has no line {line_id!r}")


def prescribed(prescription: Prescription) -> PrescribedDrugs | None:
    """The stored lookup in the domain's own terms (the one place that reads the e-prescription field names)."""
    found = national(prescription)
    if found is None:
        return None
    return PrescribedDrugs(found.ma_don_thuoc, tuple(
        PrescribedLine(str(line.id), line.ma_thuoc, line.ten_thuoc, line.don_vi_tinh, line.so_luong,
                       line.so_luong_ban, line.cach_dung or "") for line in found.lines))


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
            listed.append({"field": "product", "recorded": item["name"],
                           "national": record_text(msg("not in the prescription"))})
    return listed
