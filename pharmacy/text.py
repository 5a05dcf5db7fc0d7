"""Vietnamese text folding for diacritics-insensitive search (đ folds to d)."""
from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(value: str) -> str:
    """NFC-normalize text at the edges (Unikey's composed mode sends NFD)."""
    return unicodedata.normalize("NFC", value)


def fold(value: str) -> str:
    """Lower-case ASCII-ish search form: 'Thuốc ho Đông' -> 'thuoc ho dong'."""
    text = nfc(value).replace("đ", "d").replace("Đ", "D")
    text = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    return _SPACES.sub(" ", text.casefold()).strip()
