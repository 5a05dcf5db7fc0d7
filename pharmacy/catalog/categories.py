"""Product categories (nhóm hàng): the owner's own grouping of products, a filter for lists and reports."""
from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..errors import Conflict, Invalid, NotFound, msg
from ..text import nfc
from .models import Category, Product
from .rules import text_problem

MAX_NAME = 100


def get_category(session: Session, category_id: int, *, field: str = "category_id") -> Category:
    category = session.get(Category, category_id)
    if category is None:
        raise NotFound(msg("Category #%(id)s not found.", id=category_id), field=field)
    return category


def _clean_name(name: str) -> str:
    cleaned = " ".join(nfc(name or "").split())
    if not cleaned:
        raise Invalid(msg("A category needs a name."), field="name")
    if (problem := text_problem(cleaned, MAX_NAME)) is not None:
        raise Invalid(msg("Category name: %(problem)s", problem=problem), field="name")
    return cleaned


def find_category(session: Session, name: str) -> Category | None:
    """The category of that name, whatever its letter case (a chain has tens of categories: compared here, as
    SQLite's lower() folds ASCII letters only)."""
    wanted = " ".join(nfc(name or "").split()).casefold()
    return next((c for c in session.execute(select(Category)).scalars() if c.name.casefold() == wanted), None)


def _check_unique(session: Session, name: str, category_id: int | None) -> None:
    other = find_category(session, name)
    if other is not None and other.id != category_id:
        raise Conflict(msg("There is already a category \"%(name)s\".", name=other.name), field="name")


def create_category(session: Session, name: str) -> Category:
    cleaned = _clean_name(name)
    _check_unique(session, cleaned, None)
    category = Category(name=cleaned)
    session.add(category)
    session.flush()
    return category


def rename_category(session: Session, category: Category, name: str) -> Category:
    cleaned = _clean_name(name)
    _check_unique(session, cleaned, category.id)
    category.name = cleaned
    session.flush()
    return category


def delete_category(session: Session, category: Category) -> None:
    """Remove a category; its products stay, without a category."""
    session.execute(update(Product).where(Product.category_id == category.id).values(category_id=None))
    session.delete(category)
    session.flush()


def category_for_import(session: Session, name: str) -> Category | None:
    """The category an import row names (made when new); None for an empty cell."""
    if not (name or "").strip():
        return None
    return find_category(session, name) or create_category(session, name)


def categories_query(q: str | None = None):
    """Every category by name (those whose name contains `q`)."""
    stmt = select(Category).order_by(Category.name, Category.id)
    if q and q.strip():
        stmt = stmt.where(Category.name.ilike(f"%{q.strip()}%"))
    return stmt


def product_counts(session: Session, category_ids: list[int]) -> dict[int, int]:
    """How many products each category holds."""
    if not category_ids:
        return {}
    stmt = (select(Product.category_id, func.count()).where(Product.category_id.in_(category_ids))
            .group_by(Product.category_id))
    return dict(session.execute(stmt).all())


def category_product_ids(category_id: int):
    """A subquery of the ids of a category's products, for `Product.id.in_(...)`-style filters."""
    return select(Product.id).where(Product.category_id == category_id)
