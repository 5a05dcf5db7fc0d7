"""Resolve a scan-box input against the database: product, unit, lot, expiry, known lots, or search results."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ..catalog.models import Barcode, Product, ProductUnit
from ..catalog.search import SearchHit, search_hits
from ..stock.fefo import is_expired
from ..stock.models import SELLABLE, StockLot
from ..stock.queries import LotRow as KnownLot  # a lot of the product the store has seen (any quantity)
from .parse import GS, LotCandidate, ScanResult, choose_candidate, parse_scan

Status = str  # "product" | "search" | "not_found" | "invalid"


@dataclass
class Resolution:
    """What the scan box should do with an input: add a product line, show search results, or say why not."""

    scan: ScanResult
    status: Status
    product: Product | None = None
    unit: ProductUnit | None = None
    lot: str | None = None
    expiry: date | None = None
    serial: str | None = None
    lot_known: bool = False
    needs_lot_confirmation: bool = False
    lot_candidates: tuple[LotCandidate, ...] = ()
    known_lots: list[KnownLot] = field(default_factory=list)
    results: list[SearchHit] = field(default_factory=list)  # each with the store's on_hand


def barcode_candidates(scan: ScanResult) -> list[str]:
    """Stored forms a scanned code may have: GTIN-13/8, GTIN-14, the in-house code, or the typed text."""
    codes = [scan.gtin, scan.gtin14, scan.internal_code, scan.text]
    if scan.gtin14 and scan.gtin14.startswith("00"):
        codes.append(scan.gtin14.lstrip("0").zfill(12))  # UPC-A stored as 12 digits
    return list(dict.fromkeys(code for code in codes if code))


def find_unit(session: Session, codes: list[str]) -> ProductUnit | None:
    """The unit that owns one of these barcodes (one indexed query)."""
    if not codes:
        return None
    stmt = (
        select(ProductUnit)
        .join(Barcode, Barcode.unit_id == ProductUnit.id)
        .where(Barcode.code.in_(codes))
        .options(joinedload(ProductUnit.product))  # the product comes with it: one round trip fewer per scan
    )
    return session.execute(stmt.limit(1)).scalars().first()


def known_lots(
    session: Session, store_id: int | None, product_id: int, *, today: date, near_days: int
) -> list[KnownLot]:
    """The product's lots in the store, earliest expiry first."""
    if store_id is None:
        return []
    stmt = (
        select(StockLot.id, StockLot.lot, StockLot.expiry, StockLot.quantity)
        .where(StockLot.store_id == store_id, StockLot.product_id == product_id, StockLot.state == SELLABLE)
        .order_by(StockLot.expiry, StockLot.id)
    )
    horizon = today + timedelta(days=near_days)
    return [
        KnownLot(lot_id, lot, expiry, quantity, is_expired(expiry, today),
                 not is_expired(expiry, today) and expiry <= horizon)
        for lot_id, lot, expiry, quantity in session.execute(stmt)
    ]


def resolve_scan(
    session: Session,
    raw: str,
    *,
    store_id: int | None,
    today: date,
    near_expiry_days: int = 90,
    separators: tuple[str, ...] = (GS,),
    search_limit: int = 20,
) -> Resolution:
    """Classify ``raw`` with parse_scan and look it up: barcodes first, then national code, then name search."""
    scan = parse_scan(raw, separators=separators)
    if not scan.ok:
        return Resolution(scan, "invalid")
    unit = find_unit(session, barcode_candidates(scan))
    if unit is None and scan.kind == "text":
        return _text(session, scan, search_limit, store_id=store_id, today=today)
    if unit is None:
        return Resolution(scan, "not_found")
    product = unit.product
    lots = known_lots(session, store_id, product.id, today=today, near_days=near_expiry_days)
    resolution = Resolution(scan, "product", product=product, unit=unit, known_lots=lots, serial=scan.serial)
    _apply_lot(resolution, {lot.lot: lot for lot in lots})
    return resolution


def _text(session: Session, scan: ScanResult, limit: int, *, store_id: int | None, today: date) -> Resolution:
    """Free text: an exact national drug code wins, else the ranked diacritics-insensitive search."""
    text = scan.text or ""
    product = session.execute(select(Product).where(Product.national_code == text)).scalars().first()
    if product is not None and product.active:
        on_hand = None
        if store_id is not None:
            on_hand = sum(lot.quantity for lot in known_lots(session, store_id, product.id, today=today, near_days=0)
                          if not lot.expired)
        return Resolution(scan, "search", results=[SearchHit(product, on_hand)])
    return Resolution(scan, "search", results=search_hits(session, text, limit=limit, store_id=store_id, today=today))


def _apply_lot(resolution: Resolution, by_lot: dict[str, KnownLot]) -> None:
    """Take the scanned lot; for a separator-less scan prefer the one candidate the store knows, else ask."""
    scan = resolution.scan
    if not (scan.lot or scan.lot_ambiguous):
        return
    chosen = choose_candidate(scan, set(by_lot))
    if chosen is None and scan.lot is not None:  # candidates differ only after the lot (serial, expiry)
        chosen = LotCandidate(scan.lot, scan.expiry, scan.serial)
    if chosen is None:
        resolution.needs_lot_confirmation = True
        resolution.lot_candidates = scan.lot_candidates
        resolution.expiry = scan.expiry
        return
    resolution.lot = chosen.lot
    resolution.serial = chosen.serial
    known = by_lot.get(chosen.lot or "")
    resolution.lot_known = known is not None
    resolution.expiry = chosen.expiry or (known.expiry if known else None)
