"""Scan-box classification: GTINs, GS1 element strings, Digital Links, in-house codes and free text."""

from datetime import date

import pytest

from pharmacy.scanning import (
    LotCandidate,
    ScanError,
    ScanWarning,
    choose_candidate,
    choose_lot,
    parse_scan,
)
from pharmacy.scanning.labels import internal_code

GS = "\x1d"
GTIN13 = "8936048710019"
GTIN14 = "0" + GTIN13
JUNE_2027_END = date(2027, 6, 30)

# (id, raw, separators, expected attributes)
CASES = [
    ("ean13", GTIN13, None, {"kind": "gtin", "gtin": GTIN13, "gtin14": GTIN14}),
    ("ean13-aim", "]E0" + GTIN13, None, {"kind": "gtin", "gtin": GTIN13, "symbology": "]E0"}),
    ("ean13-bad-check", "8936048710018", None, {"kind": "invalid", "error": ScanError.CHECK_DIGIT, "gtin": None}),
    ("ean8", "12345670", None, {"kind": "gtin", "gtin": "12345670", "gtin14": "00000012345670"}),
    ("upc-a", "036000291452", None, {"kind": "gtin", "gtin": "0036000291452"}),
    ("gtin14-leading-0", GTIN14, None, {"kind": "gtin", "gtin": GTIN13, "gtin14": GTIN14}),
    ("gtin14-case-level", "18936048710016", None, {"kind": "gtin", "gtin": "18936048710016"}),
    ("gtin14-bad-check", "18936048710017", None, {"kind": "invalid", "error": ScanError.CHECK_DIGIT}),
    (
        "datamatrix-aim",
        f"]d201{GTIN14}172706001" + f"0LOTA1{GS}21SN12345",
        None,
        {"kind": "gs1", "symbology": "]d2", "gtin": GTIN13, "lot": "LOTA1", "expiry": JUNE_2027_END,
         "serial": "SN12345", "lot_ambiguous": False, "warnings": ()},
    ),
    (
        "datamatrix-no-aim",
        f"01{GTIN14}1727061510LOTA1{GS}21SN12345",
        None,
        {"kind": "gs1", "gtin": GTIN13, "lot": "LOTA1", "expiry": date(2027, 6, 15), "serial": "SN12345"},
    ),
    (
        "leading-gs",
        f"{GS}01{GTIN14}1727061510LOTA1{GS}21SN12345",
        None,
        {"kind": "gs1", "lot": "LOTA1", "serial": "SN12345"},
    ),
    (
        "aim-then-leading-gs",
        f"]d2{GS}01{GTIN14}1727061510LOTA1{GS}21SN12345{GS}\r\n",
        None,
        {"kind": "gs1", "lot": "LOTA1", "serial": "SN12345"},
    ),
    (
        "printable-separator",
        f"01{GTIN14}|1727061510LOTA1|21SN12345",
        ("\x1d", "|"),
        {"kind": "gs1", "lot": "LOTA1", "serial": "SN12345", "lot_ambiguous": False},
    ),
    (
        "gs1-128-lot-last",
        f"]C101{GTIN14}1727060010LOTA1",
        None,
        {"kind": "gs1", "symbology": "]C1", "lot": "LOTA1", "lot_ambiguous": False, "warnings": ()},
    ),
    (
        "gs1-qr",
        f"]Q301{GTIN14}1727060010LOTA1",
        None,
        {"kind": "gs1", "lot": "LOTA1", "expiry": JUNE_2027_END},
    ),
    ("day-00-expiry", f"]d201{GTIN14}17280200", None, {"kind": "gs1", "expiry": date(2028, 2, 29)}),
    ("bad-expiry", f"]d201{GTIN14}1727130010LOTA1", None, {"kind": "invalid", "error": ScanError.BAD_DATE}),
    (
        "gs1-bad-gtin",
        "]d2010893604871001817270600",
        None,
        {"kind": "invalid", "error": ScanError.CHECK_DIGIT},
    ),
    (
        "digital-link",
        f"https://id.gs1.org/01/{GTIN14}/10/LOT1?17=270600",
        None,
        {"kind": "digital_link", "gtin": GTIN13, "lot": "LOT1", "expiry": JUNE_2027_END},
    ),
    (
        "digital-link-other-host-serial",
        f"HTTPS://qr.duocpham.example.vn/p/01/{GTIN14}/10/L%2F7/21/S9?17=270615&utm=x",
        None,
        {"kind": "digital_link", "gtin": GTIN13, "lot": "L/7", "serial": "S9", "expiry": date(2027, 6, 15)},
    ),
    ("digital-link-in-qr", f"]Q1https://id.gs1.org/01/{GTIN14}", None, {"kind": "digital_link", "lot": None}),
    ("plain-url", "https://example.com/khuyen-mai", None, {"kind": "invalid", "error": ScanError.DIGITAL_LINK}),
    ("malformed-url", "http://[", None, {"kind": "invalid", "error": ScanError.DIGITAL_LINK}),
    (
        "digital-link-bad-date",
        f"https://id.gs1.org/01/{GTIN14}?17=271399",
        None,
        {"kind": "invalid", "error": ScanError.BAD_DATE},
    ),
    (
        "hri",
        f"(01){GTIN14}(17)270600(10)LOTA1",
        None,
        {"kind": "gs1", "gtin": GTIN13, "lot": "LOTA1", "expiry": JUNE_2027_END},
    ),
    ("hri-typed-with-spaces", f"(01) {GTIN14} (10) LOT 9", None, {"kind": "gs1", "lot": "LOT9"}),
    ("hri-bad", "(01)123(10)X", None, {"kind": "invalid", "error": ScanError.GS1_SYNTAX}),
    (
        "lot-21-chars",
        f"]d201{GTIN14}1727060010{'A' * 21}{GS}21SN1",
        None,
        {"kind": "invalid", "error": ScanError.LOT_TOO_LONG, "lot": None},
    ),
    ("lot-21-last", f"]d201{GTIN14}1727060010{'A' * 21}", None, {"kind": "invalid", "error": ScanError.LOT_TOO_LONG}),
    ("lot-21-chars-hri", f"(01){GTIN14}(10){'B' * 21}", None, {"kind": "invalid", "error": ScanError.LOT_TOO_LONG}),
    (
        "lot-21-chars-link",
        f"https://id.gs1.org/01/{GTIN14}/10/{'C' * 21}",
        None,
        {"kind": "invalid", "error": ScanError.LOT_TOO_LONG},
    ),
    ("lot-20-chars", f"]d201{GTIN14}10{'A' * 20}", None, {"kind": "gs1", "lot": "A" * 20, "lot_ambiguous": False}),
    (
        "serial-21-chars",
        f"]d201{GTIN14}21{'S' * 21}{GS}10LOT",
        None,
        {"kind": "invalid", "error": ScanError.SERIAL_TOO_LONG},
    ),
    ("internal-rcn", internal_code(123), None, {"kind": "internal", "product_id": 123, "gtin": "2000000001234"}),
    ("other-rcn-prefix", "2912345678906", None, {"kind": "internal", "internal_code": "2912345678906",
     "product_id": None}),
    ("internal-pp", "PP00000123", None, {"kind": "internal", "internal_code": "PP00000123", "product_id": 123}),
    ("internal-pp-typed", "pp42", None, {"kind": "internal", "internal_code": "PP00000042", "product_id": 42}),
    ("internal-pp-code128-aim", "]C0PP00000007", None, {"kind": "internal", "product_id": 7}),
    ("drug-id-12-digits", "893604871001", None, {"kind": "text", "text": "893604871001", "error": None}),
    (
        "valid-upc-starting-893",
        "893604871004",
        None,
        {"kind": "gtin", "warnings": (ScanWarning.MAYBE_DRUG_ID,)},
    ),
    ("text-vietnamese", "  thuốc ho ", None, {"kind": "text", "text": "thuốc ho", "warnings": ()}),
    ("text-nfd-to-nfc", "thu\u006f\u031b\u0301c", None, {"kind": "text", "text": "thuớc"}),
    ("text-amox", "amox   500", None, {"kind": "text", "text": "amox 500"}),
    ("text-short-number", "500", None, {"kind": "text", "text": "500"}),
    ("text-with-substitute-char", "vitamin | C", ("\x1d", "|"), {"kind": "text", "text": "vitamin | C"}),
    ("empty", " \r\n", None, {"kind": "invalid", "error": ScanError.EMPTY}),
    ("aim-only", "]d2", None, {"kind": "invalid", "error": ScanError.EMPTY}),
    (
        "unikey-mangled-lot",
        f"]d201{GTIN14}1727060010LÔTA1{GS}21SN1",
        None,
        {"kind": "invalid", "error": ScanError.GS1_SYNTAX, "warnings": (ScanWarning.NON_ASCII,)},
    ),
    (
        "unikey-mangled-serial-no-aim",
        f"01{GTIN14}10LOT{GS}21SĐ1",
        None,
        {"kind": "invalid", "warnings": (ScanWarning.NON_ASCII,)},
    ),
]


@pytest.mark.parametrize(("raw", "separators", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_parse_scan_classifies_input(raw, separators, expected):
    result = parse_scan(raw) if separators is None else parse_scan(raw, separators=separators)
    actual = {name: getattr(result, name) for name in expected}
    assert actual == expected
    assert result.raw == raw
    assert (result.error is None) == result.ok
    if not result.ok:
        assert result.error_detail


def test_missing_separator_lists_candidates_and_hides_the_guess():
    result = parse_scan(f"]d201{GTIN14}1727060010LOTA121SN12345")
    assert result.kind == "gs1"
    assert result.lot_ambiguous is True
    assert result.lot is None and result.serial is None
    assert result.expiry == JUNE_2027_END  # outside the ambiguous tail, so certain
    assert set(result.lot_candidates) == {
        LotCandidate("LOTA1", JUNE_2027_END, "SN12345"),
        LotCandidate("LOTA121SN12345", JUNE_2027_END, None),
    }
    assert ScanWarning.MISSING_SEPARATOR in result.warnings
    assert ("10", "LOTA121SN12345") not in result.elements


def test_missing_separator_lot_may_swallow_expiry_and_serial():
    result = parse_scan(f"01{GTIN14}10LOTA11727060021SN1")
    assert result.lot_ambiguous
    assert result.expiry is None  # candidates disagree about the expiry
    assert LotCandidate("LOTA1", JUNE_2027_END, "SN1") in result.lot_candidates
    assert LotCandidate("LOTA11727060021SN1", None, None) in result.lot_candidates
    assert result.lot_candidates[0] == LotCandidate("LOTA1", JUNE_2027_END, "SN1")  # most fields first


def test_missing_separator_serial_first_may_swallow_lot():
    result = parse_scan(f"]d201{GTIN14}1727060021SN1234510LOTA1")
    assert result.lot_ambiguous
    assert {c.lot for c in result.lot_candidates} == {"LOTA1", None}


def test_missing_separator_with_one_plausible_split_is_not_ambiguous():
    lot = "ABCDEFGHIJKLMN"  # 14 characters + "21SN12345" would make a 23-character lot
    result = parse_scan(f"]d201{GTIN14}1727060010{lot}21SN12345")
    assert not result.lot_ambiguous
    assert (result.lot, result.serial) == (lot, "SN12345")
    assert result.warnings == (ScanWarning.MISSING_SEPARATOR,)


def test_lot_containing_21_with_separator_is_taken_as_scanned():
    result = parse_scan(f"]d201{GTIN14}10LOT2199{GS}21SN1")
    assert (result.lot, result.serial, result.lot_ambiguous) == ("LOT2199", "SN1", False)


def test_choose_lot_prefers_the_lot_the_store_knows():
    result = parse_scan(f"]d201{GTIN14}1727060010LOTA121SN12345")
    assert choose_lot(result, {"LOTA1", "OTHER"}) == "LOTA1"
    assert choose_candidate(result, {"LOTA1"}) == LotCandidate("LOTA1", JUNE_2027_END, "SN12345")
    # A real lot may contain "21": when the store knows the long one, that wins.
    assert choose_lot(result, {"LOTA121SN12345"}) == "LOTA121SN12345"


def test_choose_lot_returns_none_when_the_pharmacist_must_decide():
    result = parse_scan(f"]d201{GTIN14}1727060010LOTA121SN12345")
    assert choose_lot(result, set()) is None
    assert choose_lot(result, {"LOTA1", "LOTA121SN12345"}) is None
    assert choose_candidate(result, set()) is None


def test_choose_lot_on_an_unambiguous_scan_returns_its_lot():
    result = parse_scan(f"]d201{GTIN14}10LOTA1{GS}21SN1")
    assert choose_lot(result, set()) == "LOTA1"
    assert choose_candidate(result, set()) == LotCandidate("LOTA1", None, "SN1")
    assert choose_lot(parse_scan(GTIN13), {"X"}) is None


def test_custom_internal_prefixes():
    assert parse_scan("2912345678906", internal_prefixes=("20",)).kind == "gtin"
    assert parse_scan(internal_code(5), internal_prefixes=("20",)).kind == "internal"


def test_own_repack_datamatrix_keeps_gs1_kind_and_decodes_product():
    code = internal_code(77)
    result = parse_scan(f"]d2010{code}10LOT{GS}17270600")
    assert (result.kind, result.product_id, result.internal_code, result.lot) == ("gs1", 77, code, "LOT")


@pytest.mark.parametrize("bad", ["", "ab", "1", ("\x1d", "xy")])
def test_separators_must_be_single_non_alphanumeric_characters(bad):
    with pytest.raises(ValueError, match="separator"):
        parse_scan(GTIN13, separators=bad if isinstance(bad, tuple) else (bad,))


@pytest.mark.parametrize(
    ("product_id", "symbology", "expected"),
    [(1, "ean13", "2000000000015"), (123, "ean13", "2000000001234"), (123, "code128", "PP00000123")],
)
def test_internal_code_formats(product_id, symbology, expected):
    assert internal_code(product_id, symbology=symbology) == expected
    assert parse_scan(expected).product_id == product_id


@pytest.mark.parametrize("product_id", [0, -1, 10**10, True, 1.5])
def test_internal_code_rejects_ids_that_do_not_fit(product_id):
    with pytest.raises(ValueError):
        internal_code(product_id)


def test_scan_result_is_frozen():
    result = parse_scan(GTIN13)
    with pytest.raises(AttributeError):
        result.lot = "X"  # type: ignore[misc]
