"""Barcode scanning: classify scan-box input (parse) and render product label barcodes (labels)."""

from pharmacy.scanning.parse import (
    INTERNAL_PREFIXES,
    LotCandidate,
    ScanError,
    ScanKind,
    ScanResult,
    ScanWarning,
    choose_candidate,
    choose_lot,
    internal_code,
    parse_scan,
)

__all__ = [
    "INTERNAL_PREFIXES",
    "LotCandidate",
    "ScanError",
    "ScanKind",
    "ScanResult",
    "ScanWarning",
    "choose_candidate",
    "choose_lot",
    "internal_code",
    "parse_scan",
]
