"""Folding Vietnamese text for search."""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pharmacy.text import fold

VIETNAMESE = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"


@pytest.mark.parametrize("text, folded", [
    ("Thuốc ho bổ phế", "thuoc ho bo phe"),
    ("ĐAU ĐẦU", "dau dau"),
    ("Đông  y\t", "dong y"),
    ("Nước muối sinh lý 0,9%", "nuoc muoi sinh ly 0,9%"),
])
def test_fold_examples(text, folded):
    assert fold(text) == folded


def test_fold_treats_composed_and_decomposed_input_alike():
    assert fold(unicodedata.normalize("NFD", "Thuốc Đau")) == fold("Thuốc Đau") == "thuoc dau"


@given(st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + " 0123456789"))
def test_fold_of_vietnamese_is_ascii_and_idempotent(text):
    folded = fold(text)
    assert folded.isascii()
    assert fold(folded) == folded
