"""Product categories (nhóm hàng): everyone reads them; the owner creates, renames and removes them."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields, validate

from ..catalog.categories import (
    categories_query,
    create_category,
    delete_category,
    get_category,
    product_counts,
    rename_category,
)
from ..extensions import db
from ..schemas import Base, Patchable, Text
from ..stores.services import require_owner
from .auth import actor
from .pagination import PageArgsSchema, page_of, paginate

blp = Blueprint("categories", __name__, url_prefix="/api/v1", description="Product categories")


class CategoryQuerySchema(PageArgsSchema):
    q = fields.String(validate=validate.Length(max=100), metadata={"description": "part of the name"})


class CategoryInSchema(Patchable):
    name = Text(100, required=True)


class CategorySchema(Base):
    id = fields.Integer()
    name = fields.String()
    product_count = fields.Integer()


def _with_counts(categories: list) -> list[dict]:
    counts = product_counts(db.session, [c.id for c in categories])
    return [{"id": c.id, "name": c.name, "product_count": counts.get(c.id, 0)} for c in categories]


@blp.route("/categories")
class Categories(MethodView):
    @blp.arguments(CategoryQuerySchema, location="query")
    @blp.response(200, page_of(CategorySchema))
    def get(self, args):
        """Categories by name, each with how many products it holds."""
        page = paginate(db.session, categories_query(args.get("q")), args)
        return {**page, "items": _with_counts(page["items"])}

    @blp.arguments(CategoryInSchema)
    @blp.response(201, CategorySchema)
    def post(self, data):
        """Create a category (owner); names are unique whatever their letter case."""
        require_owner(actor())
        category = create_category(db.session, data["name"])
        db.session.commit()
        return _with_counts([category])[0]


@blp.route("/categories/<int:category_id>")
class CategoryItem(MethodView):
    @blp.response(200, CategorySchema)
    def get(self, category_id):
        return _with_counts([get_category(db.session, category_id)])[0]

    @blp.arguments(CategoryInSchema(partial=True), as_kwargs=False)
    @blp.response(200, CategorySchema)
    def patch(self, data, category_id):
        """Rename a category (owner)."""
        require_owner(actor())
        category = get_category(db.session, category_id)
        if "name" in data:
            rename_category(db.session, category, data["name"])
        db.session.commit()
        return _with_counts([category])[0]

    @blp.response(204)
    def delete(self, category_id):
        """Remove a category (owner); its products stay, without a category."""
        require_owner(actor())
        delete_category(db.session, get_category(db.session, category_id))
        db.session.commit()
