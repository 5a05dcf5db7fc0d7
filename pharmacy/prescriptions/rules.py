"""Pure prescription rules: code format, validity window, controlled types, remaining quantities, substitution."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from connectors.eprescription.codes import CONTROLLED_TYPES, normalize_code

from ..errors import Invalid, msg

SUBSTITUTING_ROLES = ("pharmacist", "owner")  # every role today is a pharmacist; a cashier role would be excluded


def national_code(raw: str, *, field: str) -> str:
    """The normalized national code (trimmed, lower case), or Invalid saying what is wrong with it."""
    try:
        return normalize_code(raw)
    except ValueError as exc:
        raise Invalid(
            msg("Invalid national prescription code: 14 characters are needed — 5 of the facility code, 7 "
                "letters/digits, '-', the prescription type (c, n, h, y)."), field=field, detail=str(exc)) from None


def is_controlled_code(code: str | None) -> bool:
    """Narcotic (n) and psychotropic (h) prescriptions follow the controlled-drug rules."""
    return bool(code) and code[-1].lower() in CONTROLLED_TYPES


@dataclass(frozen=True)
class Validity:
    """How long a prescription may be filled: `expires_on` is the last valid day."""

    issued_on: date | None
    expires_on: date | None
    expired: bool

    def as_dict(self) -> dict:
        return {"issued_on": self.issued_on, "expires_on": self.expires_on, "expired": self.expired}


def validity(issued_on: date | None, today: date, days: int) -> Validity:
    """An ordinary prescription is valid `days` days counting the day it was issued."""
    if issued_on is None:
        return Validity(None, None, False)
    expires_on = issued_on + timedelta(days=max(days, 1) - 1)
    return Validity(issued_on, expires_on, today > expires_on)


def remaining(prescribed: int, sold: int) -> int:
    """What may still be given: never negative."""
    return max(0, prescribed - sold)


def may_substitute(role: str) -> bool:
    return role in SUBSTITUTING_ROLES


def is_substitution(prescribed_code: str | None, product_code: str | None) -> bool:
    """Another product than the prescribed one (a line without ma_thuoc is matched by a person: no substitution)."""
    return bool(prescribed_code) and (product_code or "").casefold() != prescribed_code.casefold()
