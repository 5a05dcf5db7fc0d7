"""Vietnamese mobile numbers as people type them (+84 / 84 / 0 prefixes, spaces, dots, dashes) in one form."""
from __future__ import annotations

import re

from ..errors import Invalid, msg

_SEPARATORS = re.compile(r"[\s.\-()]")
_MOBILE = re.compile(r"^0[35789]\d{8}$")


def normalize_phone(raw: str, *, field: str = "phone") -> str:
    """`+84 912.345.678`, `84912345678`, `0912 345 678` → `0912345678`; anything else is refused naming `field`."""
    digits = _SEPARATORS.sub("", raw or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    if not _MOBILE.match(digits):
        raise Invalid(msg("A Vietnamese mobile number has 10 digits and starts with 03, 05, 07, 08 or 09."),
                      field=field)
    return digits
