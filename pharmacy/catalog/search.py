"""Diacritics-insensitive product search: SQLite FTS5 prefix match, PostgreSQL pg_trgm ILIKE, same folding."""
from __future__ import annotations

import re

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from ..text import fold
from .models import Product

_TOKEN = re.compile(r"[0-9a-z]+")


def search_text_for(product: Product) -> str:
    parts = (product.name, product.active_ingredient, product.national_code or "", product.registration_no)
    return fold(" ".join(part for part in parts if part))


def query_tokens(query: str) -> list[str]:
    return _TOKEN.findall(fold(query))[:8]


def search_products(session: Session, query: str, *, limit: int = 20, include_inactive: bool = False) -> list[Product]:
    """Products whose name, active ingredient or codes start-match every word of the query."""
    tokens = query_tokens(query)
    if not tokens:
        return []
    stmt = select(Product)
    if session.get_bind().dialect.name == "sqlite":
        match = " ".join(f'"{token}"*' for token in tokens)
        ids = select(text("rowid")).select_from(text("product_search")).where(text("product_search MATCH :match"))
        stmt = stmt.where(Product.id.in_(ids)).params(match=match)
    else:
        for token in tokens:
            stmt = stmt.where(Product.search_text.ilike(f"%{token}%"))
    if not include_inactive:
        stmt = stmt.where(Product.active.is_(True))
    folded_name_first = tokens[0]
    stmt = stmt.order_by(Product.search_text.startswith(folded_name_first).desc(), Product.name).limit(limit)
    return list(session.execute(stmt).scalars())
