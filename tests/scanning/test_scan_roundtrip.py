"""Round trips: GS1 DataMatrix made by zxing-cpp, and generated element strings, back through parse_scan."""

import calendar
from datetime import date

import zxingcpp
from biip.checksums import gs1_standard_check_digit
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from pharmacy.scanning import choose_lot, parse_scan
from pharmacy.scanning.labels import internal_code

GS = "\x1d"
# GS1 AI encodable character set 82 (what a lot or serial may contain)
GS1_CHARS = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"


def scan_datamatrix(hri: str) -> str:
    """Encode a GS1 DataMatrix, decode it, and return what an AIM-enabled wedge scanner would type."""
    symbol = zxingcpp.create_barcode(hri, zxingcpp.BarcodeFormat.DataMatrix, gs1=True)
    image = Image.fromarray(zxingcpp.write_barcode_to_image(symbol, scale=4))
    (found,) = zxingcpp.read_barcodes(image, text_mode=zxingcpp.TextMode.Plain)
    assert found.content_type == zxingcpp.ContentType.GS1
    assert found.symbology_identifier.startswith("]d")
    return found.symbology_identifier + found.text


def test_zxing_gs1_datamatrix_round_trips():
    scanned = scan_datamatrix("(01)08936048710019(17)270600(10)LOTA1(21)SN12345")
    assert GS in scanned
    result = parse_scan(scanned)
    assert (result.kind, result.gtin, result.lot, result.expiry, result.serial) == (
        "gs1", "8936048710019", "LOTA1", date(2027, 6, 30), "SN12345"
    )


def test_zxing_datamatrix_with_gs_dropped_needs_the_store_or_the_pharmacist():
    scanned = scan_datamatrix("(01)08936048710019(17)270600(10)LOTA1(21)SN12345").replace(GS, "")
    result = parse_scan(scanned)
    assert result.lot_ambiguous and result.lot is None
    assert choose_lot(result, {"LOTA1"}) == "LOTA1"
    assert choose_lot(result, set()) is None


def test_repack_label_datamatrix_with_house_gtin_round_trips():
    code = internal_code(55)
    result = parse_scan(scan_datamatrix(f"(01)0{code}(17)281100(10)R-55/A"))
    assert (result.gtin, result.product_id, result.lot, result.expiry) == (code, 55, "R-55/A", date(2028, 11, 30))


gtins = st.text("0123456789", min_size=9, max_size=9).map(
    lambda body: "893" + body + str(gs1_standard_check_digit("893" + body))
)
values = st.text(GS1_CHARS, min_size=1, max_size=20)


@st.composite
def packs(draw):
    gtin = draw(gtins)
    expiry = draw(st.dates(min_value=date(2020, 1, 1), max_value=date(2060, 12, 31)))
    day_00 = draw(st.booleans())
    yymmdd = expiry.strftime("%y%m") + ("00" if day_00 else expiry.strftime("%d"))
    if day_00:
        expiry = expiry.replace(day=calendar.monthrange(expiry.year, expiry.month)[1])
    lot = draw(values)
    serial = draw(st.none() | values)
    fields = [("17", yymmdd), ("10", lot)] + ([("21", serial)] if serial else [])
    order = draw(st.permutations(fields))
    return gtin, expiry, lot, serial, order


def element_string(gtin, order, separator):
    parts = ["01", "0" + gtin]
    for i, (ai, value) in enumerate(order):
        parts += [ai, value]
        if ai in ("10", "21") and i < len(order) - 1:
            parts.append(separator)
    return "".join(parts)


def assert_true_reading_kept(result, gtin, lot, expiry, serial):
    assert result.kind == "gs1" and result.gtin == gtin
    if result.lot_ambiguous:
        assert (lot, expiry, serial) in result.lot_candidates
        assert choose_lot(result, {lot}) == lot
    else:
        assert (result.lot, result.expiry, result.serial) == (lot, expiry, serial)


@settings(max_examples=50, deadline=None, database=None)
@given(packs(), st.sampled_from(["", "]d2", "]C1", GS, "]d2" + GS]), st.sampled_from([GS, "|"]))
def test_element_strings_with_separators_round_trip(pack, prefix, separator):
    gtin, expiry, lot, serial, order = pack
    data = element_string(gtin, order, separator)
    result = parse_scan(prefix + data, separators=(GS, "|"))
    if separator in data:
        assert (result.kind, result.gtin, result.lot, result.expiry, result.serial) == (
            "gs1", gtin, lot, expiry, serial
        )
        assert not result.lot_ambiguous
    else:
        # Lot last and no serial needs no separator, so "10A21B" may really be lot "A" + serial "B".
        assert_true_reading_kept(result, gtin, lot, expiry, serial)


@settings(max_examples=50, deadline=None, database=None)
@given(packs())
def test_without_separators_the_true_reading_is_never_lost(pack):
    gtin, expiry, lot, serial, order = pack
    result = parse_scan("]d2" + element_string(gtin, order, separator=""))
    assert_true_reading_kept(result, gtin, lot, expiry, serial)


scan_box_input = st.text() | st.builds(
    "".join,
    st.lists(st.sampled_from(["]d2", "]C1", "]E0", "]Q3", GS, "|", "01", "10", "17", "21", "(", ")", "http://x/",
                              "0", "8", "9", "2", "A", "Đ", " ", "PP", "%2F", "[", "/", "?17="]), max_size=30),
)


@settings(max_examples=50, deadline=None, database=None)
@given(scan_box_input)
def test_parse_scan_never_raises_and_explains_refusals(raw):
    result = parse_scan(raw, separators=(GS, "|"))
    assert result.kind in {"gtin", "gs1", "digital_link", "internal", "text", "invalid"}
    assert (result.kind == "invalid") == (result.error is not None)
    if result.lot is not None:
        assert len(result.lot) <= 20
