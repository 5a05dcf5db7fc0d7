"""Matching prescribed lines to the store's products: by national drug code, else by name and strength."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from connectors.eprescription.models import PrescriptionLine

from ..catalog.models import Product, ProductUnit
from ..catalog.search import query_tokens, search_products


@dataclass
class LineMatch:
    """The product for a prescribed line (`by_code`: certain), or name/strength candidates a person confirms."""

    product: Product | None = None
    by_code: bool = False
    candidates: list[Product] = field(default_factory=list)


def products_by_code(session: Session, codes: set[str]) -> dict[str, Product]:
    """Active products keyed by their case-folded national code."""
    wanted = {code.casefold() for code in codes if code}
    if not wanted:
        return {}
    rows = session.execute(select(Product).where(func.lower(Product.national_code).in_(wanted),
                                                 Product.active.is_(True))).scalars()
    return {product.national_code.casefold(): product for product in rows}


def name_candidates(session: Session, line: PrescriptionLine, limit: int = 5) -> list[Product]:
    """Products whose name or active ingredient matches the prescribed name, strength tokens first."""
    found: list[Product] = []
    for text in (line.ten_thuoc, line.biet_duoc):
        if not text:
            continue
        for product in search_products(session, text, limit=limit):
            if product not in found:
                found.append(product)
    tokens = set(query_tokens(line.ten_thuoc or line.biet_duoc))
    found.sort(key=lambda p: -len(tokens & set(query_tokens(f"{p.name} {p.active_ingredient} {p.strength}"))))
    return found[:limit]


def match_lines(session: Session, lines) -> dict[str, LineMatch]:
    """A LineMatch per prescribed line id (as text)."""
    by_code = products_by_code(session, {line.ma_thuoc for line in lines if line.ma_thuoc})
    matches = {}
    for line in lines:
        product = by_code.get((line.ma_thuoc or "").casefold())
        matches[str(line.id)] = (LineMatch(product, True) if product
                                 else LineMatch(candidates=name_candidates(session, line)))
    return matches


def prescription_unit(product: Product, unit_name: str) -> ProductUnit:
    """The product's unit named like the prescription's don_vi_tinh, else its base unit."""
    return (unit_name and product.unit_named(unit_name)) or product.base_unit
