"""Classify one scan-box input: GTIN, GS1 element string, Digital Link, in-house code or free text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING, Literal, NamedTuple
from urllib.parse import parse_qs, unquote, urlsplit

from biip import ParseConfig, ParseError
from biip.gs1_application_identifiers import GS1ApplicationIdentifier
from biip.gs1_digital_link_uris import GS1DigitalLinkURI
from biip.gs1_element_strings import GS1ElementString
from biip.gs1_messages import GS1Message
from biip.gtin import Gtin, GtinFormat
from biip.symbology import GS1Symbology, SymbologyIdentifier

if TYPE_CHECKING:
    from collections.abc import Iterable

ScanKind = Literal["gtin", "gs1", "digital_link", "internal", "text", "invalid"]

GS = "\x1d"
MAX_VARIABLE_LENGTH = 20  # AI 10 (lot) and AI 21 (serial) are X..20
INTERNAL_PREFIXES = tuple(str(n) for n in range(20, 30))  # GS1 restricted circulation, in-store use

# In-house codes: EAN-13 "20" + 10-digit zero-padded product id + check digit (a restricted-circulation
# prefix never collides with a manufacturer GTIN), or Code128 "PP" + id padded to 8+ digits ("pp" typed is fine).
HOUSE_EAN_PREFIX = "20"
HOUSE_EAN_ID_DIGITS = 10
HOUSE_CODE128_PREFIX = "PP"
HOUSE_CODE128_MAX_ID = 10**12 - 1


class ScanError(StrEnum):
    """Stable reasons a scan was refused; the UI maps them to a message."""

    EMPTY = "empty"
    CHECK_DIGIT = "check_digit"
    LOT_TOO_LONG = "lot_too_long"
    SERIAL_TOO_LONG = "serial_too_long"
    BAD_DATE = "bad_date"
    GS1_SYNTAX = "gs1_syntax"
    DIGITAL_LINK = "digital_link"


class ScanWarning(StrEnum):
    """Things the pharmacist should know about an otherwise usable scan."""

    NON_ASCII = "non_ascii"  # scanned data with non-ASCII: a Vietnamese IME (Unikey Telex) is probably on
    MISSING_SEPARATOR = "missing_separator"  # the scanner dropped FNC1/GS; fields were split by inference
    MAYBE_DRUG_ID = "maybe_drug_id"  # 12 digits starting 893: could be a v2 drug id / registration number


class LotCandidate(NamedTuple):
    """One plausible reading of a scan whose variable-length fields lost their separators."""

    lot: str | None
    expiry: date | None
    serial: str | None


@dataclass(frozen=True, slots=True)
class ScanResult:
    """What a scan-box input turned out to be.

    ``gtin`` is the GTIN-13 when the GTIN-14 form starts with 0 (UPC-A gains a leading 0), the GTIN-8 for
    EAN-8, otherwise the GTIN-14; ``gtin14`` is always the 14-digit form (best for lookups).
    When ``lot_ambiguous`` is true, ``lot``/``expiry``/``serial`` hold only what all candidates agree on.
    """

    kind: ScanKind
    raw: str
    symbology: str | None = None  # AIM symbology identifier as sent, e.g. "]d2"
    gtin: str | None = None
    gtin14: str | None = None
    lot: str | None = None
    expiry: date | None = None
    serial: str | None = None
    lot_ambiguous: bool = False
    lot_candidates: tuple[LotCandidate, ...] = ()
    internal_code: str | None = None  # canonical in-house code (RCN EAN-13 or PP code)
    product_id: int | None = None  # decoded from the house formats only; still verify against stored codes
    text: str | None = None  # kind "text": NFC-normalized, trimmed, whitespace collapsed
    elements: tuple[tuple[str, str], ...] = ()  # certain (AI, value) pairs, in scan order
    error: ScanError | None = None
    error_detail: str | None = None
    warnings: tuple[ScanWarning, ...] = ()

    @property
    def ok(self) -> bool:
        return self.kind != "invalid"


class _Refused(Exception):
    """Internal: abort parsing with a stable reason."""

    def __init__(self, error: ScanError, detail: str) -> None:
        super().__init__(detail)
        self.error = error


_BLANKS = " \t\r\n\v\f"
_GTIN_LENGTHS = frozenset({8, 12, 13, 14})
_PRIMARY_AI_RE = re.compile(r"(?:0[123]\d{14}|00\d{18})")
_HRI_RE = re.compile(r"\(\d{2,4}\)")
_PP_RE = re.compile(r"[Pp][Pp](\d{1,12})")
_URL_RE = re.compile(r"https?://", re.IGNORECASE)
_CODE_LIKE_RE = re.compile(r"\d{8}")
_DATE_AIS = frozenset({"11", "12", "13", "15", "16", "17"})
_SPLIT_AIS = frozenset({"10", "17", "21"})  # AIs a separator-less tail may hide (pharma packs)
_TOO_LONG = {"10": ScanError.LOT_TOO_LONG, "21": ScanError.SERIAL_TOO_LONG}
_FIELD = {"10": "lot", "21": "serial"}


@lru_cache(maxsize=16)
def _config(separators: tuple[str, ...]) -> tuple[ParseConfig, re.Pattern[str]]:
    for sep in separators:
        if len(sep) != 1 or sep.isalnum() or sep in "()":
            raise ValueError(f"separator must be one non-alphanumeric character, got {sep!r}")
    return ParseConfig(separator_chars=separators), re.compile("[" + "".join(map(re.escape, separators)) + "]")


@lru_cache(maxsize=8)
def _variable_re(ai: str) -> re.Pattern[str]:
    return re.compile(GS1ApplicationIdentifier.extract(ai).pattern)


@lru_cache(maxsize=256)
def _ai17_date(digits: str) -> date | None:
    """AI 17 value → date (day 00 = last day of month, per biip), or None if not a date."""
    if len(digits) != 6 or not digits.isdigit():
        return None
    try:
        return GS1ElementString.parse("17" + digits).date
    except ParseError:
        return None


def parse_scan(
    raw: str,
    *,
    separators: tuple[str, ...] = (GS,),
    internal_prefixes: tuple[str, ...] = INTERNAL_PREFIXES,
) -> ScanResult:
    """Classify ``raw`` (what a keyboard-wedge scanner or a person typed) and extract its data."""
    config, splitter = _config(tuple(separators))
    # Plain whitespace only: str.strip() would also eat a leading GS (Python counts 0x1c-0x1f as space).
    value = unicodedata.normalize("NFC", raw).strip(_BLANKS)

    symbology: SymbologyIdentifier | None = None
    if value.startswith("]") and len(value) >= 3:
        try:
            symbology = SymbologyIdentifier.extract(value)
            value = value[len(symbology.value) :]
        except (ParseError, ValueError, IndexError):
            symbology = None
    separator_chars = "".join(config.separator_chars)
    stripped = value.lstrip(separator_chars)
    leading_separator = len(stripped) != len(value)
    value = stripped.rstrip(separator_chars).strip()
    if not value:
        return ScanResult("invalid", raw, error=ScanError.EMPTY, error_detail="Nothing was scanned.")

    code_like = symbology or leading_separator or any(r.match(value) for r in (_CODE_LIKE_RE, _URL_RE, _HRI_RE))
    warnings: list[ScanWarning] = []
    if code_like and not value.isascii():
        warnings.append(ScanWarning.NON_ASCII)

    base = {"raw": raw, "symbology": symbology.value if symbology else None}
    try:
        fields = _classify(value, symbology, leading_separator, (config, splitter), warnings)
    except _Refused as exc:
        return ScanResult("invalid", **base, error=exc.error, error_detail=str(exc), warnings=tuple(warnings))
    gtin14 = fields.get("gtin14") or ""
    gtin13 = gtin14[1:] if gtin14.startswith("0") else ""
    if gtin13.startswith(tuple(internal_prefixes)) and "internal_code" not in fields:
        fields["internal_code"] = gtin13
        fields["product_id"] = _house_ean_product_id(gtin13)
        if fields["kind"] == "gtin":
            fields["kind"] = "internal"
    return ScanResult(**base, **fields, warnings=tuple(warnings))


def _classify(
    value: str,
    symbology: SymbologyIdentifier | None,
    leading_separator: bool,
    parsing: tuple[ParseConfig, re.Pattern[str]],
    warnings: list[ScanWarning],
) -> dict:
    config, splitter = parsing
    gs1_symbology = symbology.gs1_symbology if symbology else None
    if _URL_RE.match(value):
        return _digital_link(value, config)
    if _HRI_RE.match(value):
        return _hri(value, config)
    if value.isascii() and value.isdigit() and len(value) in _GTIN_LENGTHS:
        if gs1_symbology is None or gs1_symbology in GS1Symbology.with_gtin():
            return _bare_gtin(value, warnings)
    if (
        (gs1_symbology is not None and gs1_symbology in GS1Symbology.with_gs1_messages())
        or (leading_separator and value[:2].isdigit())
        or _PRIMARY_AI_RE.match(value)
    ):
        return _element_string(value, config, splitter, warnings)
    if match := _PP_RE.fullmatch(value):
        product_id = int(match.group(1))
        return {"kind": "internal", "internal_code": house_code128(product_id), "product_id": product_id}
    return {"kind": "text", "text": " ".join(value.split())}


def _gtin_fields(gtin: Gtin) -> dict:
    gtin14 = gtin.as_gtin_14()
    short = gtin14[1:] if gtin14.startswith("0") else gtin14
    return {"gtin": gtin.as_gtin_8() if gtin.format == GtinFormat.GTIN_8 else short, "gtin14": gtin14}


def _bare_gtin(value: str, warnings: list[ScanWarning]) -> dict:
    may_be_drug_id = len(value) == 12 and value.startswith("893")
    try:
        gtin = Gtin.parse(value)
    except ParseError as exc:
        if may_be_drug_id:
            return {"kind": "text", "text": value}
        raise _Refused(ScanError.CHECK_DIGIT, str(exc)) from None
    if may_be_drug_id:
        warnings.append(ScanWarning.MAYBE_DRUG_ID)
    return {"kind": "gtin", **_gtin_fields(gtin)}


def _from_element_strings(element_strings: Iterable[GS1ElementString]) -> dict:
    """Common field extraction for GS1 messages and Digital Links parsed by biip."""
    fields: dict = {"elements": tuple((es.ai.ai, es.value) for es in element_strings)}
    for es in element_strings:
        ai = es.ai.ai
        if ai == "01":
            if es.gtin is None:
                raise _Refused(ScanError.CHECK_DIGIT, es.gtin_error or "Invalid GTIN in AI (01).")
            fields.update(_gtin_fields(es.gtin))
        elif ai == "17":
            fields["expiry"] = es.date
        elif ai in _FIELD:
            fields[_FIELD[ai]] = es.value
    return fields


def _too_long_check(ai: str, value: str) -> None:
    if ai in _TOO_LONG and len(value) > MAX_VARIABLE_LENGTH:
        raise _Refused(_TOO_LONG[ai], f"AI ({ai}) is {len(value)} characters; at most 20 are allowed.")


def _hri(value: str, config: ParseConfig) -> dict:
    try:
        message = GS1Message.parse_hri(value, config=config)
    except ParseError as exc:
        for ai, data in re.findall(r"\((\d{2,4})\)([^(]*)", value):
            _too_long_check(ai, "".join(data.split()))
            if ai in _DATE_AIS and _ai17_date("".join(data.split())) is None:
                raise _Refused(ScanError.BAD_DATE, str(exc)) from None
        raise _Refused(ScanError.GS1_SYNTAX, str(exc)) from None
    return {"kind": "gs1", **_from_element_strings(message.element_strings)}


def _digital_link(value: str, config: ParseConfig) -> dict:
    try:
        link = GS1DigitalLinkURI.parse(value, config=config)
    except (ParseError, ValueError) as exc:  # ValueError: urllib on a malformed host such as "http://["
        try:
            parts = urlsplit(value)
        except ValueError:
            raise _Refused(ScanError.DIGITAL_LINK, str(exc)) from None
        segments = parts.path.split("/")
        pairs = list(zip(segments, segments[1:], strict=False)) + [(k, v[-1]) for k, v in parse_qs(parts.query).items()]
        for ai, data in pairs:
            _too_long_check(ai, unquote(data))
            if ai == "17" and _ai17_date(data) is None:
                raise _Refused(ScanError.BAD_DATE, str(exc)) from None
        raise _Refused(ScanError.DIGITAL_LINK, str(exc)) from None
    return {"kind": "digital_link", **_from_element_strings(link.element_strings)}


def _element_string(value: str, config: ParseConfig, splitter: re.Pattern[str], warnings: list) -> dict:
    """Walk a GS1 element string segment by segment; infer splits when no separator was sent."""
    segments = [s for s in splitter.split(value) if s]
    no_separator = len(segments) == 1
    elements: list[GS1ElementString] = []
    tail: tuple[str, str] | None = None
    for segment in segments:
        rest = segment
        while rest:
            ai_code = rest[:2]
            if no_separator and ai_code in _TOO_LONG and tail is None:
                tail = (ai_code, rest[2:])  # everything after a variable AI may belong to it, or not
                break
            try:
                es = GS1ElementString.extract(rest, config=config)
            except ParseError as exc:
                error = ScanError.BAD_DATE if ai_code in _DATE_AIS else ScanError.GS1_SYNTAX
                raise _Refused(error, str(exc)) from None
            if es.ai.ai in _TOO_LONG and len(es) < len(rest):
                _too_long_check(es.ai.ai, rest[2:])
                raise _Refused(ScanError.GS1_SYNTAX, f"Invalid characters in AI ({es.ai.ai}): {rest[2:]!r}.")
            elements.append(es)
            rest = rest[len(es) :]
    fields = {"kind": "gs1", **_from_element_strings(elements)}
    if tail is not None:
        fields.update(_resolve_tail(tail, elements, fields, warnings))
    return fields


def _resolve_tail(tail: tuple[str, str], elements: list[GS1ElementString], fields: dict, warnings: list) -> dict:
    """Turn the separator-less tail into candidates; fields all candidates agree on become certain."""
    ai, data = tail
    taken = frozenset(es.ai.ai for es in elements)
    readings = _readings_from(ai, data, taken)
    if not readings:
        _too_long_check(ai, data)
        raise _Refused(ScanError.GS1_SYNTAX, f"Cannot read AI ({ai}) value {data!r}.")
    # Most recovered fields first: the one-field (greedy) reading is the classic wrong lot.
    readings.sort(key=len, reverse=True)
    candidates: list[LotCandidate] = []
    for reading in readings:
        candidate = LotCandidate(
            reading.get("10", fields.get("lot")),
            reading.get("17", fields.get("expiry")),
            reading.get("21", fields.get("serial")),
        )
        if candidate not in candidates:
            candidates.append(candidate)
    if len(candidates) > 1 or len(readings[0]) > 1:
        warnings.append(ScanWarning.MISSING_SEPARATOR)
    agreed: dict[str, object] = {}
    for name in LotCandidate._fields:
        values = {getattr(c, name) for c in candidates}
        agreed[name] = values.pop() if len(values) == 1 else None
    certain = list(readings[0].items()) if len(candidates) == 1 else []
    return {
        **agreed,
        "lot_ambiguous": len(candidates) > 1,
        "lot_candidates": tuple(candidates),
        "elements": fields["elements"]
        + tuple((k, v.strftime("%y%m%d") if isinstance(v, date) else v) for k, v in certain),
    }


def _readings_from(ai: str, data: str, taken: frozenset[str]) -> list[dict]:
    """All ways to read ``ai + data`` as consecutive AI 10/17/21 elements (each AI at most once)."""
    if ai in taken or ai not in _SPLIT_AIS:
        return []
    taken = taken | {ai}
    if ai == "17":
        expiry = _ai17_date(data[:6])
        if expiry is None:
            return []
        if len(data) == 6:
            return [{"17": expiry}]
        return [{"17": expiry, **r} for r in _readings_from(data[6:8], data[8:], taken)]
    pattern = _variable_re(ai)
    readings: list[dict] = []
    for cut in range(1, min(len(data), MAX_VARIABLE_LENGTH) + 1):
        head, rest = data[:cut], data[cut:]
        if not pattern.fullmatch(ai + head):
            break  # a bad character cannot become valid by taking more
        if not rest:
            readings.append({ai: head})
        else:
            readings.extend({ai: head, **r} for r in _readings_from(rest[:2], rest[2:], taken))
    return readings


def choose_candidate(result: ScanResult, known_lots: set[str]) -> LotCandidate | None:
    """For an ambiguous scan, the one candidate whose lot the store already knows; None = ask."""
    if not result.lot_ambiguous:
        return LotCandidate(result.lot, result.expiry, result.serial) if result.lot else None
    matches = [c for c in result.lot_candidates if c.lot is not None and c.lot in known_lots]
    return matches[0] if len(matches) == 1 else None


def choose_lot(result: ScanResult, known_lots: set[str]) -> str | None:
    """The lot to use: the scanned lot, or for an ambiguous scan the one known candidate; None = ask."""
    if result.lot is not None or not result.lot_ambiguous:
        return result.lot  # unambiguous, or every candidate agrees on the lot
    lots = {c.lot for c in result.lot_candidates if c.lot is not None and c.lot in known_lots}
    return lots.pop() if len(lots) == 1 else None


def house_code128(product_id: int) -> str:
    return f"{HOUSE_CODE128_PREFIX}{product_id:08d}"


def _house_ean_product_id(gtin13: str) -> int | None:
    if len(gtin13) == 13 and gtin13.startswith(HOUSE_EAN_PREFIX):
        return int(gtin13[2:12]) or None
    return None
