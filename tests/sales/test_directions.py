"""Dosage directions: codes printed in full Vietnamese, free text kept, ambiguous codes refused (compliance §6)."""
from __future__ import annotations

from pathlib import Path

import pytest
from babel.support import Translations

from pharmacy.errors import render
from pharmacy.sales.directions import DirectionsError, directions_text, looks_like_code

VIETNAMESE = Translations.load(Path(__file__).resolve().parents[2] / "pharmacy" / "translations", ["vi"])

PRINTED = [
    ("S1 C1 SA x5", "Viên", "Uống: sáng 01 viên, chiều 01 viên, sau ăn. Dùng 5 ngày."),
    ("s1 c1 sa x5", "Viên", "Uống: sáng 01 viên, chiều 01 viên, sau ăn. Dùng 5 ngày."),
    ("1-0-1-0", "Viên", "Uống: sáng 01 viên, chiều 01 viên."),
    ("1-1-1-1 TA x3", "Viên", "Uống: sáng 01 viên, trưa 01 viên, chiều 01 viên, tối 01 viên, trước ăn. Dùng 3 ngày."),
    ("0-0-0-2", "Gói", "Uống: tối 02 gói."),
    ("Tr1 To2", "Viên", "Uống: trưa 01 viên, tối 02 viên."),
    ("To1 S1", "Viên", "Uống: sáng 01 viên, tối 01 viên."),
    ("Ng1 x30", "Viên", "Uống: trước khi ngủ 01 viên. Dùng 30 ngày."),
    ("S1/2 C1/2", "Viên", "Uống: sáng 1/2 viên, chiều 1/2 viên."),
    ("S1,5", "Viên", "Uống: sáng 1,5 viên."),
    ("S12", "Ml", "Uống: sáng 12 ml."),
    ("KC1", "Viên", "Uống: khi cần 01 viên."),
    ("S1 KC", "Viên", "Uống: sáng 01 viên, khi cần."),
    ("  S1   C1  ", "Viên", "Uống: sáng 01 viên, chiều 01 viên."),
    ("Ngày uống 2 lần, mỗi lần 1 viên", "Viên", "Ngày uống 2 lần, mỗi lần 1 viên"),
    ("Vitamin B12 uống buổi sáng", "Viên", "Vitamin B12 uống buổi sáng"),
    ("uong sau an", "Viên", "uong sau an"),
]


@pytest.mark.parametrize(("raw", "unit", "printed"), PRINTED)
def test_directions_print_in_full_vietnamese(raw, unit, printed):
    assert directions_text(raw, unit) == printed


def test_the_route_names_the_verb():
    assert directions_text("S1", "Tuýp", verb="Bôi ngoài da") == "Bôi ngoài da: sáng 01 tuýp."


REFUSED = [
    ("S1 T1 C1", "trưa (Tr) hoặc tối (To)"),
    ("T1", "trưa (Tr) hoặc tối (To)"),
    ("S C1", "ghi số lượng"),
    ("S1 S2", "hai lần"),
    ("S1 TA SA", "TA (trước ăn) hoặc SA"),
    ("SA", "thiếu liều"),
    ("x5", "thiếu liều"),
    ("0-0-0-0", "không có liều"),
    ("1-0-1-0 S1", "hai lần"),
    ("S1 1-0-1-0", "cả lưới"),
    ("S1 x0", "từ 1 đến 365"),
    ("S1 x400", "từ 1 đến 365"),
    ("S1 x5 x6", "hai lần"),
    ("S1 sau ăn", "Không hiểu \"sau\""),
    ("S1 ab", "Không hiểu \"ab\""),
    ("S0", "lớn hơn 0"),
    ("S1/0", "không đọc được"),
    ("S500", "quá lớn"),
    ("   ", "trống"),
    ("a" * 301, "dài quá"),
]


@pytest.mark.parametrize(("raw", "reason"), REFUSED)
def test_ambiguous_or_incomplete_codes_are_refused(raw, reason):
    """The refusal is a message id; what the pharmacist reads is its Vietnamese translation."""
    with pytest.raises(DirectionsError) as refused:
        directions_text(raw, "Viên")
    assert reason in str(render(refused.value.args[0], VIETNAMESE.gettext))


@pytest.mark.parametrize(("raw", "code"), [
    ("S1", True), ("1-0-1-0", True), ("x5", True), ("T1", True), ("SA", True),
    ("Uống khi đau", False), ("B12", False), ("sa", False), ("2 lần/ngày", False),
])
def test_what_reads_as_a_code(raw, code):
    assert looks_like_code(raw) is code
