"""National prescription codes: normalization, format validation and the controlled-drug types."""
from __future__ import annotations

import re

CODE_LENGTH = 14
TYPE_ORDINARY, TYPE_NARCOTIC, TYPE_PSYCHOTROPIC, TYPE_TRADITIONAL = "c", "n", "h", "y"
PRESCRIPTION_TYPES = {
    TYPE_ORDINARY: "ordinary",
    TYPE_NARCOTIC: "narcotic",
    TYPE_PSYCHOTROPIC: "psychotropic",
    TYPE_TRADITIONAL: "traditional medicine",
}
CONTROLLED_TYPES = frozenset({TYPE_NARCOTIC, TYPE_PSYCHOTROPIC})

_ALNUM = re.compile(r"[0-9a-z]+")


def normalize_code(raw: str) -> str:
    """Trim and lowercase a prescription code, then check its format; raise ValueError saying what is wrong.

    Format: 5-character prescribing-facility code, 7 letters/digits, '-', a type letter (c, n, h or y).
    Lowercase because the type letter is lowercase in the national format.
    """
    if not isinstance(raw, str):
        raise ValueError(f"Prescription code must be text, got {type(raw).__name__}")
    code = raw.strip().lower()
    if not code:
        raise ValueError("Prescription code is empty")
    if len(code) != CODE_LENGTH:
        raise ValueError(f"Prescription code {code!r} has {len(code)} characters; expected {CODE_LENGTH} "
                         "(5-character facility code, 7 letters/digits, '-', type letter)")
    body, dash, kind = code[:12], code[12], code[13]
    if dash != "-":
        raise ValueError(f"Prescription code {code!r} must have '-' as its 13th character")
    if not _ALNUM.fullmatch(body[:5]):
        raise ValueError(f"Prescription code {code!r}: the facility code {body[:5]!r} must be letters or digits")
    if not _ALNUM.fullmatch(body[5:]):
        raise ValueError(f"Prescription code {code!r}: characters 6-12 {body[5:]!r} must be letters or digits")
    if kind not in PRESCRIPTION_TYPES:
        raise ValueError(f"Prescription code {code!r}: unknown type letter {kind!r}; expected one of c, n, h, y")
    return code


def prescription_type(code: str) -> str:
    """The type letter of a (possibly unnormalized) code: c, n, h or y."""
    return normalize_code(code)[-1]


def is_controlled(code: str) -> bool:
    """True for narcotic (n) and psychotropic (h) prescriptions, which follow the controlled-drug rules."""
    return prescription_type(code) in CONTROLLED_TYPES
