"""Barcode scanning: classify scan-box input; label rendering lives in ``labels`` (imports Pillow)."""

from pharmacy.scanning.parse import (
    INTERNAL_PREFIXES,
    LotCandidate,
    ScanError,
    ScanKind,
    ScanResult,
    ScanWarning,
    choose_candidate,
    choose_lot,
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
    "parse_scan",
]
