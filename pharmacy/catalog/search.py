"""Diacritics-insensitive product search: SQLite FTS5 prefix match, PostgreSQL pg_trgm ILIKE, same folding.

Two bounded passes keep search fast however many products match a short word: first the products whose folded
text starts with the first word (names come first in it), then any product matching every word; only those few
candidates are loaded and ordered.
"""
from __future__ import annotations

import re

from sqlalchemy import bindparam, select, text
from sqlalchemy.orm import Session

from ..text import fold
from .models import Product

_TOKEN = re.compile(r"[0-9a-z]+")


def search_text_for(product: Product) -> str:
    parts = (product.name, product.active_ingredient, product.national_code or "", product.registration_no)
    return fold(" ".join(part for part in parts if part))


def query_tokens(query: str) -> list[str]:
    return _TOKEN.findall(fold(query))[:8]


def _sqlite_ids(session: Session, tokens: list[str], *, leading: bool, limit: int) -> list[int]:
    match = " ".join(f'"{token}"*' for token in tokens)
    if leading:
        match = "^" + match
    stmt = text("SELECT rowid FROM product_search WHERE product_search MATCH :match LIMIT :limit")
    return list(session.execute(stmt, {"match": match, "limit": limit}).scalars())


def _postgresql_ids(session: Session, tokens: list[str], *, leading: bool, limit: int) -> list[int]:
    # Patterns and LIMIT are rendered inline (tokens are [0-9a-z]+ only, the limit an int): psycopg prepares a
    # statement after 5 runs, and a generic plan that knows neither scans the whole table (from the ~11th run on).
    stmt = select(Product.id).limit(bindparam(None, int(limit), literal_execute=True))
    for index, token in enumerate(tokens):
        pattern = f"{token}%" if leading and index == 0 else f"%{token}%"
        stmt = stmt.where(Product.search_text.like(bindparam(None, pattern, literal_execute=True)))
    return list(session.execute(stmt).scalars())


def search_products(session: Session, query: str, *, limit: int = 20, include_inactive: bool = False) -> list[Product]:
    """Products whose name, active ingredient or codes start-match every word of the query, best first."""
    tokens = query_tokens(query)
    if not tokens:
        return []
    find = _sqlite_ids if session.get_bind().dialect.name == "sqlite" else _postgresql_ids
    candidates = find(session, tokens, leading=True, limit=limit * 2)
    if len(candidates) < limit * 2:
        seen = set(candidates)
        candidates += [i for i in find(session, tokens, leading=False, limit=limit * 4) if i not in seen]
    rows = select(Product.id, Product.name, Product.search_text).where(Product.id.in_(candidates))
    if not include_inactive:
        rows = rows.where(Product.active.is_(True))
    first = tokens[0]
    ranked = sorted(session.execute(rows), key=lambda row: (not row.search_text.startswith(first), row.name.casefold()))
    best = [row.id for row in ranked[:limit]]
    products = {p.id: p for p in session.execute(select(Product).where(Product.id.in_(best))).scalars()}
    return [products[product_id] for product_id in best]


def analyze_catalogue(session: Session) -> None:
    """Refresh the planner's statistics after a catalogue import (PostgreSQL), so searches keep their index plans."""
    if session.get_bind().dialect.name != "postgresql":
        return
    with session.get_bind().connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE products")
