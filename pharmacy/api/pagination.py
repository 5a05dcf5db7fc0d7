"""One pagination scheme for every list endpoint: `page` (from 1) and `per_page` (1–200, default 50) in the query,
`{items, total, page, per_page}` in the answer."""
from __future__ import annotations

from functools import cache

from marshmallow import Schema, fields, validate
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from ..request_limits import DEFAULT_PER_PAGE, MAX_PER_PAGE
from ..schemas import Base

MAX_PAGE = 1_000_000


class PageArgsSchema(Base):
    """Query arguments of a list endpoint; other list schemas inherit them."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE),
                          metadata={"description": "Page number, from 1."})
    per_page = fields.Integer(load_default=DEFAULT_PER_PAGE, validate=validate.Range(min=1, max=MAX_PER_PAGE),
                              metadata={"description": f"Items per page, at most {MAX_PER_PAGE}."})


@cache
def page_of(item_schema: type[Schema]) -> type[Schema]:
    """The answer schema of a list of `item_schema` (`ProductPage` for `ProductSchema`), one class per item schema."""
    name = item_schema.__name__.removesuffix("Schema") + "PageSchema"
    return type(name, (Base,), {
        "items": fields.List(fields.Nested(item_schema), required=True),
        "total": fields.Integer(required=True, metadata={"description": "Items matching, over all pages."}),
        "page": fields.Integer(required=True),
        "per_page": fields.Integer(required=True),
        "__doc__": f"One page of {item_schema.__name__.removesuffix('Schema')} items.",
    })


def page_body(items, total: int, args: dict) -> dict:
    return {"items": list(items), "total": total, "page": args["page"], "per_page": args["per_page"]}


def paginate(session: Session, stmt: Select, args: dict) -> dict:
    """Run `stmt` (ordered) for one page and count every row it matches."""
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    offset = (args["page"] - 1) * args["per_page"]
    items = session.execute(stmt.limit(args["per_page"]).offset(offset)).scalars().unique().all()
    return page_body(items, total or 0, args)


def paginate_list(items: list, args: dict) -> dict:
    """A page of a list already in memory (short lists such as a sale's returns)."""
    start = (args["page"] - 1) * args["per_page"]
    return page_body(items[start:start + args["per_page"]], len(items), args)
