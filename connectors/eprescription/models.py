"""A national prescription as looked up, parsed field by field into frozen dataclasses."""
from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from .codes import CONTROLLED_TYPES, normalize_code
from .dates import parse_date, parse_datetime

_GENDERS = {"nam": "male", "male": "male", "m": "male", "nữ": "female", "nu": "female", "female": "female",
            "f": "female"}


class PrescriptionFormatError(ValueError):
    """The lookup answer lacks a required field or has one we cannot read."""


@dataclass(frozen=True)
class Diagnosis:
    ma_chan_doan: str
    ten_chan_doan: str


@dataclass(frozen=True)
class PrescriptionLine:
    """One prescribed drug. `so_luong_ban` is what pharmacies have already reported as sold (0 when absent)."""

    id: int | str
    ma_thuoc: str | None
    biet_duoc: str
    ten_thuoc: str
    don_vi_tinh: str
    so_luong: int
    cach_dung: str
    so_luong_ban: int = 0

    @property
    def remaining(self) -> int:
        """What may still be given against this line (never negative)."""
        return max(0, self.so_luong - self.so_luong_ban)


@dataclass(frozen=True)
class Prescription:
    """A looked-up national prescription; `raw` is the original JSON, stored as the lookup snapshot."""

    ma_don_thuoc: str
    loai_don_thuoc: str
    ngay_gio_ke_don: datetime | None
    ho_ten_benh_nhan: str
    ngay_sinh_benh_nhan: date | None
    gioi_tinh: str
    ma_dinh_danh_y_te: str
    ma_so_the_bao_hiem_y_te: str
    dia_chi: str
    chan_doan: tuple[Diagnosis, ...]
    ten_bac_si: str
    ten_co_so_kham_chua_benh: str
    luu_y: str
    loi_dan: str
    ngay_tai_kham: date | None
    lines: tuple[PrescriptionLine, ...]
    raw: dict = field(compare=False, repr=False)

    @property
    def type_letter(self) -> str:
        return self.ma_don_thuoc[-1]

    @property
    def is_controlled(self) -> bool:
        return self.type_letter in CONTROLLED_TYPES

    @property
    def gender(self) -> str | None:
        """gioi_tinh as a FHIR AdministrativeGender code ("male"/"female"), None when not recognised."""
        return _GENDERS.get(self.gioi_tinh.strip().lower())

    @property
    def fully_dispensed(self) -> bool:
        return all(line.remaining == 0 for line in self.lines)

    def line(self, line_id) -> PrescriptionLine:
        """The line with this id (compared as text, since ids may come as numbers or strings)."""
        for candidate in self.lines:
            if str(candidate.id) == str(line_id):
                return candidate
        raise KeyError(f"prescription {self.ma_don_thuoc} has no line {line_id!r}")


def parse_prescription(body: dict) -> Prescription:
    """Build a Prescription from the lookup JSON; raise PrescriptionFormatError when it cannot be read."""
    if not isinstance(body, dict):
        raise PrescriptionFormatError("the lookup answer is not a JSON object")
    try:
        code = normalize_code(_text(body.get("ma_don_thuoc")))
    except ValueError as exc:
        raise PrescriptionFormatError(f"ma_don_thuoc: {exc}") from None
    lines = body.get("thong_tin_don_thuoc") or []
    if not isinstance(lines, list):
        raise PrescriptionFormatError("thong_tin_don_thuoc is not a list")
    return Prescription(
        ma_don_thuoc=code,
        loai_don_thuoc=_text(body.get("loai_don_thuoc")),
        ngay_gio_ke_don=parse_datetime(body.get("ngay_gio_ke_don")),
        ho_ten_benh_nhan=_text(body.get("ho_ten_benh_nhan")),
        ngay_sinh_benh_nhan=parse_date(body.get("ngay_sinh_benh_nhan")),
        gioi_tinh=_text(body.get("gioi_tinh")),
        ma_dinh_danh_y_te=_text(body.get("ma_dinh_danh_y_te")),
        ma_so_the_bao_hiem_y_te=_text(body.get("ma_so_the_bao_hiem_y_te")),
        dia_chi=_text(body.get("dia_chi")),
        chan_doan=tuple(_diagnosis(item) for item in body.get("chan_doan") or [] if isinstance(item, dict)),
        ten_bac_si=_text(body.get("ten_bac_si")),
        ten_co_so_kham_chua_benh=_text(body.get("ten_co_so_kham_chua_benh")),
        luu_y=_text(body.get("luu_y")),
        loi_dan=_text(body.get("loi_dan")),
        ngay_tai_kham=parse_date(body.get("ngay_tai_kham")),
        lines=tuple(_line(item, index) for index, item in enumerate(lines)),
        raw=body,
    )


def _diagnosis(item: dict) -> Diagnosis:
    return Diagnosis(ma_chan_doan=_text(item.get("ma_chan_doan")), ten_chan_doan=_text(item.get("ten_chan_doan")))


def _line(item, index: int) -> PrescriptionLine:
    where = f"thong_tin_don_thuoc[{index}]"
    if not isinstance(item, dict):
        raise PrescriptionFormatError(f"{where} is not a JSON object")
    line_id = item.get("id")
    if line_id is None or line_id == "" or isinstance(line_id, bool):
        raise PrescriptionFormatError(f"{where} has no id")
    return PrescriptionLine(
        id=line_id,
        ma_thuoc=_text(item.get("ma_thuoc")) or None,
        biet_duoc=_text(item.get("biet_duoc")),
        ten_thuoc=_text(item.get("ten_thuoc")),
        don_vi_tinh=_text(item.get("don_vi_tinh")),
        so_luong=_quantity(item.get("so_luong"), f"{where}.so_luong", required=True),
        cach_dung=_text(item.get("cach_dung")),
        so_luong_ban=_quantity(item.get("so_luong_ban"), f"{where}.so_luong_ban", required=False),
    )


def _text(value) -> str:
    """Trimmed NFC text (some Vietnamese input methods produce decomposed NFD characters)."""
    return "" if value is None else unicodedata.normalize("NFC", str(value)).strip()


def _quantity(value, where: str, *, required: bool) -> int:
    """A whole, non-negative quantity from a number or numeric text ("10", "10.0", 10.0)."""
    if value is None or value == "":
        if required:
            raise PrescriptionFormatError(f"{where} is missing")
        return 0
    if isinstance(value, bool):
        raise PrescriptionFormatError(f"{where} is not a number: {value!r}")
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        raise PrescriptionFormatError(f"{where} is not a number: {value!r}") from None
    if not math.isfinite(number) or number < 0 or number != int(number):
        raise PrescriptionFormatError(f"{where} must be a whole number of units, got {value!r}")
    return int(number)
