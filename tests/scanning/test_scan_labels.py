"""Label barcodes: python-barcode renders them, zxing-cpp reads them back, parse_scan recognises them."""

import io

import pytest
import zxingcpp
from PIL import Image

from pharmacy.scanning import parse_scan
from pharmacy.scanning.labels import InvalidBarcodeValue, internal_code, label_png, label_svg


def decode(png: bytes) -> list[zxingcpp.Barcode]:
    return zxingcpp.read_barcodes(Image.open(io.BytesIO(png)), text_mode=zxingcpp.TextMode.Plain)


@pytest.mark.parametrize(
    ("code", "symbology", "kind"),
    [
        (internal_code(123), "ean13", "internal"),
        (internal_code(9_999_999_999), "ean13", "internal"),
        ("8936048710019", "ean13", "gtin"),
        (internal_code(123, symbology="code128"), "code128", "internal"),
    ],
)
@pytest.mark.parametrize(("dpi", "dots_per_module"), [(203, 2), (300, 3)])
def test_label_png_decodes_to_the_same_code(code, symbology, kind, dpi, dots_per_module):
    png = label_png(code, symbology, dpi=dpi, dots_per_module=dots_per_module)
    assert png.startswith(b"\x89PNG")
    (found,) = decode(png)
    assert found.text == code
    # What a scanner with AIM prefixes would type into the scan box:
    result = parse_scan(found.symbology_identifier + found.text)
    assert result.kind == kind
    assert result.symbology == found.symbology_identifier


def test_label_png_internal_code_maps_back_to_product():
    (found,) = decode(label_png(internal_code(4321), "ean13"))
    assert parse_scan(found.text).product_id == 4321


def test_label_svg_is_an_svg_document_in_millimetres():
    svg = label_svg(internal_code(1), "ean13")
    assert isinstance(svg, str)
    assert "<svg" in svg and 'width="' in svg and "mm" in svg
    assert "2000000000015" in svg  # human-readable line


@pytest.mark.parametrize("render", [label_svg, label_png])
def test_wrong_ean13_check_digit_is_refused_not_fixed(render):
    # python-barcode would silently print ...0019 for ...0018: a different product.
    with pytest.raises(InvalidBarcodeValue, match="check digit") as excinfo:
        render("8936048710018", "ean13")
    assert excinfo.value.field == "code"


@pytest.mark.parametrize(
    ("code", "symbology"),
    [("893604871001", "ean13"), ("89360487100a9", "ean13"), ("thuốc", "code128"), ("", "code128"),
     ("X" * 49, "code128"), ("123", "qr")],
)
def test_unrenderable_codes_are_refused(code, symbology):
    with pytest.raises(InvalidBarcodeValue):
        label_svg(code, symbology)


def test_one_dot_modules_are_refused():
    with pytest.raises(ValueError, match="dots_per_module"):
        label_png(internal_code(1), "ean13", dots_per_module=1)
