"""Render product label barcodes (EAN-13, Code128) as SVG or PNG with python-barcode."""

from __future__ import annotations

import io
from typing import Literal

import barcode
from barcode.writer import ImageWriter, SVGWriter
from biip.checksums import gs1_standard_check_digit

from pharmacy.scanning.parse import HOUSE_CODE128_MAX_ID, HOUSE_EAN_ID_DIGITS, HOUSE_EAN_PREFIX, house_code128

__all__ = ["InvalidBarcodeValue", "Symbology", "internal_code", "label_png", "label_svg"]

Symbology = Literal["ean13", "code128"]

_CODE128_MAX_LENGTH = 48  # longer codes do not fit a shelf or pack label


class InvalidBarcodeValue(ValueError):
    """A code cannot be rendered in the requested symbology."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(f"cannot render {code!r}: {reason}")
        self.field = "code"
        self.code = code
        self.reason = reason


def internal_code(product_id: int, *, symbology: Symbology = "ean13") -> str:
    """The in-house code for a product without a manufacturer barcode; ``parse_scan`` recognises it.

    EAN-13 (default): "20" + 10-digit zero-padded id + GS1 check digit, e.g. 123 -> "2000000001234".
    Code128: "PP" + id zero-padded to 8 digits, e.g. 123 -> "PP00000123".
    """
    if not isinstance(product_id, int) or isinstance(product_id, bool) or product_id < 1:
        raise ValueError(f"product_id must be a positive integer, got {product_id!r}")
    if symbology == "code128":
        if product_id > HOUSE_CODE128_MAX_ID:
            raise ValueError(f"product_id {product_id} does not fit the PP code")
        return house_code128(product_id)
    if symbology != "ean13":
        raise ValueError(f"unknown symbology {symbology!r}")
    if product_id >= 10**HOUSE_EAN_ID_DIGITS:
        raise ValueError(f"product_id {product_id} does not fit a house EAN-13")
    payload = f"{HOUSE_EAN_PREFIX}{product_id:0{HOUSE_EAN_ID_DIGITS}d}"
    return payload + str(gs1_standard_check_digit(payload))


def _validate(code: str, symbology: Symbology) -> None:
    if symbology == "ean13":
        if len(code) != 13 or not (code.isascii() and code.isdigit()):
            raise InvalidBarcodeValue(code, "EAN-13 needs exactly 13 digits")
        # python-barcode silently replaces a wrong check digit, which would print a different product.
        if int(code[-1]) != gs1_standard_check_digit(code[:-1]):
            raise InvalidBarcodeValue(code, "wrong EAN-13 check digit")
    elif symbology == "code128":
        if not code or len(code) > _CODE128_MAX_LENGTH:
            raise InvalidBarcodeValue(code, f"Code128 label codes are 1 to {_CODE128_MAX_LENGTH} characters")
        if not all(" " <= ch <= "~" for ch in code):
            raise InvalidBarcodeValue(code, "Code128 labels take printable ASCII only")
    else:
        raise InvalidBarcodeValue(code, f"unknown symbology {symbology!r}")


def _symbol(code: str, symbology: Symbology, writer: SVGWriter | ImageWriter) -> barcode.Barcode:
    _validate(code, symbology)
    symbol = barcode.get_barcode_class(symbology)(code, writer=writer)
    if symbol.get_fullcode() != code:  # guard against the library rewriting the code
        raise InvalidBarcodeValue(code, f"renderer changed it to {symbol.get_fullcode()!r}")
    return symbol


def label_svg(
    code: str,
    symbology: Symbology,
    *,
    module_width_mm: float = 0.25,
    bar_height_mm: float = 12.0,
    with_text: bool = True,
) -> str:
    """An SVG barcode (sizes in mm; prints sharply from the browser).

    0.25 or 0.375 mm modules are whole dots on 203 dpi label printers. Quiet zones are kept.
    """
    symbol = _symbol(code, symbology, SVGWriter())
    options = {"module_width": module_width_mm, "module_height": bar_height_mm, "write_text": with_text}
    return symbol.render(options).decode("utf-8")


def label_png(
    code: str,
    symbology: Symbology,
    *,
    dpi: int = 203,
    dots_per_module: int = 2,
    bar_height_mm: float = 12.0,
    with_text: bool = True,
) -> bytes:
    """A PNG barcode whose modules are a whole number of printer dots at ``dpi``."""
    # python-barcode paints each module as [x, x + width - 1], so one-dot modules break in Pillow.
    if dpi < 72 or dots_per_module < 2:
        raise ValueError("dpi must be >= 72 and dots_per_module >= 2")
    symbol = _symbol(code, symbology, ImageWriter(format="PNG", mode="L", dpi=dpi))
    options = {
        "module_width": dots_per_module * 25.4 / dpi,
        "module_height": bar_height_mm,
        "write_text": with_text,
    }
    buffer = io.BytesIO()
    symbol.write(buffer, options)
    return buffer.getvalue()
