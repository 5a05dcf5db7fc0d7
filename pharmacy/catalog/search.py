"""Diacritics-insensitive product search: SQLite FTS5 prefix match, PostgreSQL prefix btree / pg_trgm LIKE, same
folding, and one ranking for the counter.

Bounded passes keep search fast however many products match a short word: first the products whose folded text
starts with the first word (names come first in it), then any product matching every word, then matches the store
has in stock; only those few candidates are ranked and loaded.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Integer, bindparam, func, select, text
from sqlalchemy.orm import Session

from ..stock.models import SELLABLE, Movement, StockLot
from ..text import fold
from .models import Product

_TOKEN = re.compile(r"[0-9a-z]+")


def search_text_for(product: Product) -> str:
    parts = (product.name, product.active_ingredient, product.national_code or "", product.registration_no)
    return fold(" ".join(part for part in parts if part))


def query_tokens(query: str) -> list[str]:
    return _TOKEN.findall(fold(query))[:8]


def _sqlite_matches(tokens: list[str], *, leading: bool, limit: int):
    match = " ".join(f'"{token}"*' for token in tokens)
    if leading:
        match = "^" + match
    stmt = text("SELECT rowid AS id FROM product_search WHERE product_search MATCH :match LIMIT :limit")
    return stmt.bindparams(match=match, limit=limit).columns(id=Integer)


def _postgresql_matches(tokens: list[str], *, leading: bool, limit: int):
    # Patterns and LIMIT are rendered inline (tokens are [0-9a-z]+ only, the limit an int): psycopg prepares a
    # statement after 5 runs, and a generic plan that knows neither scans the whole table (from the ~11th run on).
    stmt = select(Product.id).limit(bindparam(None, int(limit), literal_execute=True))
    for index, token in enumerate(tokens):
        pattern = f"{token}%" if leading and index == 0 else f"%{token}%"
        stmt = stmt.where(Product.search_text.like(bindparam(None, pattern, literal_execute=True)))
    return stmt


def _matches(session: Session, tokens: list[str], *, leading: bool, limit: int):
    """The ids of (at most `limit`) products matching every token, as a statement."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    return (_sqlite_matches if sqlite else _postgresql_matches)(tokens, leading=leading, limit=limit)


def _ids(session: Session, tokens: list[str], *, leading: bool, limit: int) -> list[int]:
    return list(session.execute(_matches(session, tokens, leading=leading, limit=limit)).scalars())


def _in_stock_ids(session: Session, tokens: list[str], *, store_id: int, window: int, limit: int) -> list[int]:
    """The store's in-stock products among the first `window` matches (one statement, indexed both ways)."""
    matches = _matches(session, tokens, leading=False, limit=window).subquery()
    stmt = (
        select(StockLot.product_id).distinct()
        .where(StockLot.store_id == store_id, StockLot.quantity > 0, StockLot.state == SELLABLE,
               StockLot.product_id.in_(select(matches.c.id)))
        .limit(bindparam(None, int(limit), literal_execute=True))
    )
    return list(session.execute(stmt).scalars())


@dataclass(frozen=True)
class SearchHit:
    """A found product with the store's sellable stock on hand (base units; None when no store was named).

    It reads as the product too (`hit.name`, `hit.units`), so product schemas dump it and add `on_hand`.
    """

    product: Product
    on_hand: int | None = None

    def __getattr__(self, name: str):
        return getattr(self.product, name)


IN_STOCK_WINDOW = 500  # matches looked at for in-stock products when name-prefix matches alone fill the pool


def _candidates(session: Session, tokens: list[str], *, limit: int, store_id: int | None) -> list[int]:
    """A bounded pool: name-prefix matches, then any match; with a store, also the in-stock ones among the first
    few hundred matches (so an in-stock product is not crowded out of the pool by out-of-stock ones)."""
    pool = limit * 2
    found = dict.fromkeys(_ids(session, tokens, leading=True, limit=pool))
    if len(found) < pool:
        found.update(dict.fromkeys(_ids(session, tokens, leading=False, limit=pool * 2)))
    elif store_id is not None:
        found.update(dict.fromkeys(
            _in_stock_ids(session, tokens, store_id=store_id, window=IN_STOCK_WINDOW, limit=pool)))
    return list(found)


def _on_hand(session: Session, ids: list[int], store_id: int | None, today: date | None) -> dict[int, int]:
    if store_id is None or not ids:
        return {}
    stmt = (
        select(StockLot.product_id, func.sum(StockLot.quantity))
        .where(StockLot.store_id == store_id, StockLot.product_id.in_(ids), StockLot.quantity > 0,
               StockLot.state == SELLABLE)
        .group_by(StockLot.product_id)
    )
    if today is not None:
        stmt = stmt.where(StockLot.expiry >= today)  # expired lots are never sold: not on hand for the counter
    return {product_id: int(total) for product_id, total in session.execute(stmt)}


def _times_sold(session: Session, ids: list[int], store_id: int | None) -> dict[int, int]:
    if store_id is None or not ids:
        return {}
    stmt = (
        select(Movement.product_id, func.count())
        .where(Movement.store_id == store_id, Movement.product_id.in_(ids), Movement.kind == "sale")
        .group_by(Movement.product_id)
    )
    return dict(session.execute(stmt).all())


def match_class(tokens: list[str], name: str, ingredient: str) -> int:
    """0 the name is the query, 1 the name starts with it, 2 every word starts a word of the name,
    3 every word starts a word of the active ingredient, 4 anything else (codes, mixed)."""
    query, folded = " ".join(tokens), fold(name)
    if folded == query:
        return 0
    if folded.startswith(query):
        return 1
    for rank, words in ((2, _TOKEN.findall(folded)), (3, _TOKEN.findall(fold(ingredient)))):
        if all(any(word.startswith(token) for word in words) for token in tokens):
            return rank
    return 4


def search_hits(
    session: Session, query: str, *, limit: int = 20, include_inactive: bool = False,
    store_id: int | None = None, today: date | None = None, category_id: int | None = None,
) -> list[SearchHit]:
    """Products matching every word of the query, best first: exact and prefix name matches, then ingredient
    matches; among equals what the store has in stock, then what it sells most, then by name."""
    tokens = query_tokens(query)
    if not tokens:
        return []
    ids = _candidates(session, tokens, limit=limit, store_id=store_id)
    rows = select(Product.id, Product.name, Product.active_ingredient).where(Product.id.in_(ids))
    if not include_inactive:
        rows = rows.where(Product.active.is_(True))
    if category_id is not None:
        rows = rows.where(Product.category_id == category_id)
    rows = session.execute(rows).all()
    on_hand = _on_hand(session, [row.id for row in rows], store_id, today)
    sold = _times_sold(session, [row.id for row in rows], store_id)
    ranked = sorted(rows, key=lambda row: (
        match_class(tokens, row.name, row.active_ingredient), on_hand.get(row.id, 0) <= 0, -sold.get(row.id, 0),
        row.name.casefold(),
    ))
    best = [row.id for row in ranked[:limit]]
    products = {p.id: p for p in session.execute(select(Product).where(Product.id.in_(best))).scalars()}
    return [SearchHit(products[i], on_hand.get(i, 0) if store_id is not None else None) for i in best]


def search_products(session: Session, query: str, *, limit: int = 20, include_inactive: bool = False,
                    category_id: int | None = None) -> list[Product]:
    """Products whose name, active ingredient or codes start-match every word of the query, best first."""
    return [hit.product for hit in search_hits(session, query, limit=limit, include_inactive=include_inactive,
                                               category_id=category_id)]


def analyze_catalogue(session: Session) -> None:
    """Refresh the planner's statistics after a catalogue import (PostgreSQL), so searches keep their index plans."""
    if session.get_bind().dialect.name != "postgresql":
        return
    with session.get_bind().connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE products")
