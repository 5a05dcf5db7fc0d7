"""Dosage directions: an unambiguous input code (`S1 C1 SA x5`, grid `1-0-1-0`) or free text, printed in full
Vietnamese (compliance.md §6). Pure: no database, no Flask.

Codes: `S` sáng, `Tr` trưa, `C` chiều, `To` tối, `Ng` trước khi ngủ, each followed by the quantity (`S1`, `C1/2`,
`To1.5`); `KC` khi cần (with or without a quantity); `TA` trước ăn, `SA` sau ăn; `xN` for N days; or a 4-slot grid
sáng-trưa-chiều-tối (`1-0-1-0`). Letters are case-insensitive. A text with any code-like token (letters then a
digit, `xN`, a grid) is read as a code, and every token must then be known: `T1` (trưa or tối?) is refused."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction

from ..errors import Invalid, msg

SLOTS = {"s": "sáng", "tr": "trưa", "c": "chiều", "to": "tối", "ng": "trước khi ngủ"}
SLOT_ORDER = ("s", "tr", "c", "to", "ng")
MEALS = {"ta": "trước ăn", "sa": "sau ăn"}
AMBIGUOUS = {"t": msg("T can be midday (Tr) or evening (To)"), "n": msg("N can be days or bedtime (Ng)"),
             "tt": msg("TT has no clear meaning")}
MAX_DAYS = 365
MAX_TEXT = 300

_QUANTITY = r"\d+(?:[.,]\d+|/\d+)?"
_SLOT_TOKEN = re.compile(rf"^([a-z]{{1,2}})({_QUANTITY})?$")
_DAYS_TOKEN = re.compile(r"^x(\d+)$")
_GRID_TOKEN = re.compile(rf"^({_QUANTITY})-({_QUANTITY})-({_QUANTITY})-({_QUANTITY})$")
_CODE_LETTERS = "|".join(sorted({*SLOTS, *MEALS, *AMBIGUOUS, "kc"}, key=len, reverse=True))
# Letters of a code followed by a digit, `xN`, or a grid: "Vitamin B12" stays free text, "T1" is a code (refused).
_CODE_LIKE = re.compile(rf"^(?:(?:{_CODE_LETTERS}){_QUANTITY}|x\d+|{_QUANTITY}(?:-{_QUANTITY}){{3}})$", re.IGNORECASE)


class DirectionsError(ValueError):
    """An input code that cannot be read one way only; the message says which token and why (Vietnamese)."""


@dataclass
class Directions:
    doses: dict[str, Fraction] = field(default_factory=dict)  # slot code → quantity in the dispensed unit
    when_needed: Fraction | None = None  # KC with a quantity
    when_needed_flag: bool = False  # KC alone
    meal: str | None = None
    days: int | None = None
    free_text: str | None = None


def looks_like_code(text: str) -> bool:
    return any(_CODE_LIKE.match(token) or token in ("SA", "TA", "KC") for token in text.split())


def _quantity(raw: str, token: str) -> Fraction:
    raw = raw.replace(",", ".")
    try:
        value = Fraction(raw)
    except (ValueError, ZeroDivisionError):
        raise DirectionsError(msg("The quantity in \"%(token)s\" cannot be read.", token=token)) from None
    if value > 100:
        raise DirectionsError(msg("The quantity in \"%(token)s\" is too large.", token=token))
    return value


def parse(text: str) -> Directions:
    """Read directions; raises DirectionsError for an ambiguous or incomplete code."""
    text = " ".join((text or "").split())
    if not text:
        raise DirectionsError(msg("The directions are empty."))
    if len(text) > MAX_TEXT:
        raise DirectionsError(msg("The directions are longer than %(max)s characters.", max=MAX_TEXT))
    if not looks_like_code(text):
        return Directions(free_text=text)
    result = Directions()
    grid = False
    for token in text.split():
        _read_token(token, token.casefold(), result)
        grid = grid or bool(_GRID_TOKEN.match(token))
    if not result.doses and result.when_needed is None:
        raise DirectionsError(msg("The directions code has no dose: write the time of day and the quantity, "
                                  "e.g. S1 C1 or 1-0-1-0."))
    return result


def _read_token(token: str, folded: str, result: Directions) -> None:
    if days := _DAYS_TOKEN.match(folded):
        if result.days is not None:
            raise DirectionsError(msg("The number of days is written twice."))
        result.days = int(days.group(1))
        if not 1 <= result.days <= MAX_DAYS:
            raise DirectionsError(msg("The number of days must be from 1 to %(max)s.", max=MAX_DAYS))
        return
    if grid := _GRID_TOKEN.match(folded):
        if result.doses:
            raise DirectionsError(msg("Do not write both a 1-0-1-0 grid and time-of-day codes."))
        for slot, raw in zip(("s", "tr", "c", "to"), grid.groups(), strict=True):
            value = _quantity(raw, token)
            if value:
                result.doses[slot] = value
        if not result.doses:
            raise DirectionsError(msg("The grid \"%(token)s\" has no dose.", token=token))
        return
    match = _SLOT_TOKEN.match(folded)
    if match is None:
        raise DirectionsError(msg("\"%(token)s\" is not understood in the directions code.", token=token))
    letters, raw = match.groups()
    if letters in AMBIGUOUS:
        raise DirectionsError(msg("\"%(token)s\": %(problem)s.", token=token, problem=AMBIGUOUS[letters]))
    if letters in MEALS:
        if raw or (result.meal and result.meal != letters):
            raise DirectionsError(msg("\"%(token)s\": write only one of TA (before meals) or SA (after meals), "
                                          "without a number.",
                                      token=token))
        result.meal = letters
    elif letters == "kc":
        if raw:
            result.when_needed = _quantity(raw, token)
        result.when_needed_flag = True
    elif letters in SLOTS:
        if not raw:
            raise DirectionsError(msg("\"%(token)s\": write the quantity after the time of day, e.g. %(token)s1.",
                                      token=token))
        if letters in result.doses:
            raise DirectionsError(msg("The time of day %(slot)s is written twice.", slot=SLOTS[letters]))
        value = _quantity(raw, token)
        if not value:
            raise DirectionsError(msg("\"%(token)s\": the quantity must be greater than 0.", token=token))
        result.doses[letters] = value
    else:
        raise DirectionsError(msg("\"%(token)s\" is not understood in the directions code.", token=token))


def amount(value: Fraction) -> str:
    """`01`, `12`, `1/2`, `1,5`: whole numbers under 10 take a leading zero."""
    if value.denominator == 1:
        return f"{value.numerator:02d}"
    if value.denominator in (2, 4, 5, 10, 20, 25) and value > 1:
        return f"{float(value):g}".replace(".", ",")
    return f"{value.numerator}/{value.denominator}"


def render(directions: Directions, unit: str, *, verb: str = "Uống") -> str:
    """Full Vietnamese: "Uống: sáng 01 viên, chiều 01 viên, sau ăn. Dùng 5 ngày." Free text is printed as given."""
    if directions.free_text is not None:
        return directions.free_text
    unit = unit.strip().lower()
    parts = [f"{SLOTS[slot]} {amount(directions.doses[slot])} {unit}" for slot in SLOT_ORDER
             if slot in directions.doses]
    if directions.when_needed is not None:
        parts.append(f"khi cần {amount(directions.when_needed)} {unit}")
    elif directions.when_needed_flag:
        parts.append("khi cần")
    if directions.meal:
        parts.append(MEALS[directions.meal])
    text = f"{verb}: {', '.join(parts)}."
    if directions.days:
        text += f" Dùng {directions.days} ngày."
    return text


def directions_text(raw: str, unit: str, *, verb: str = "Uống") -> str:
    return render(parse(raw), unit, verb=verb)


def with_directions(lines: list[dict], resolved) -> list[dict]:
    """The cart's lines, those carrying `directions` given their printed `directions_text`; an ambiguous code is
    refused naming lines[i].directions. `resolved` pairs each line with its (product, unit)."""
    out = []
    for index, (line, (product, unit)) in enumerate(zip(lines, resolved, strict=True)):
        raw = (line.get("directions") or "").strip()
        if not raw:
            out.append(line)
            continue
        try:
            text = directions_text(raw, unit.name, verb=(product.route or "").strip() or "Uống")
        except DirectionsError as exc:
            raise Invalid(exc.args[0], field=f"lines[{index}].directions") from None
        out.append({**line, "directions": raw, "directions_text": text})
    return out
