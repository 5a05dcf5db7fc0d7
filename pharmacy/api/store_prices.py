"""A store's own prices (overrides of the chain price per product unit): the owner sets them; a pharmacist reads
their stores'. The counter's preview and the sale use them."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields, validate

from ..catalog.store_prices import set_store_prices, store_price_rows
from ..clock import utcnow
from ..extensions import db
from ..schemas import Base, Id, Money, Text
from ..stores.services import get_store, require_owner, require_store_access
from .auth import actor
from .pagination import PageArgsSchema, page_body, page_of

blp = Blueprint("store_prices", __name__, url_prefix="/api/v1", description="Per-store prices")


class StorePriceQuerySchema(PageArgsSchema):
    category_id = Id(strict=False, metadata={"description": "only products of this category"})


class StorePriceItemInSchema(Base):
    product_id = Id(required=True)
    unit = Text(50, required=True)
    price = Money(required=True, allow_none=True, metadata={"description": "VND; null removes the override"})


class StorePricesInSchema(Base):
    items = fields.List(fields.Nested(StorePriceItemInSchema), required=True,
                        validate=validate.Length(min=1, max=1000))


class StorePriceSchema(Base):
    product_id = fields.Integer()
    product_name = fields.String()
    unit = fields.String()
    factor = fields.Integer()
    chain_price = fields.Integer()
    price = fields.Integer(metadata={"description": "the store's price"})


class StorePricesSavedSchema(Base):
    store_id = fields.Integer()
    overrides = fields.Integer(metadata={"description": "how many unit prices the store now overrides"})


def price_page(store_id: int, args: dict) -> dict:
    stmt = store_price_rows(store_id, category_id=args.get("category_id"))
    total = db.session.scalar(db.select(db.func.count()).select_from(stmt.order_by(None).subquery()))
    offset = (args["page"] - 1) * args["per_page"]
    rows = db.session.execute(stmt.limit(args["per_page"]).offset(offset)).all()
    items = [{"product_id": product.id, "product_name": product.name, "unit": unit.name, "factor": unit.factor,
              "chain_price": unit.price, "price": own.price} for own, unit, product in rows]
    return page_body(items, total, args)


@blp.route("/stores/<int:store_id>/prices")
class StorePrices(MethodView):
    @blp.arguments(StorePriceQuerySchema, location="query")
    @blp.response(200, page_of(StorePriceSchema))
    def get(self, args, store_id):
        """The store's own prices, by product name (the chain price beside each)."""
        require_store_access(actor(), store_id)
        get_store(db.session, store_id)
        return price_page(store_id, args)

    @blp.arguments(StorePricesInSchema)
    @blp.response(200, StorePricesSavedSchema)
    def put(self, data, store_id):
        """Set or remove (price null) the store's price of product units (owner); a bad item writes nothing."""
        require_owner(actor())
        store = get_store(db.session, store_id)
        count = set_store_prices(db.session, store_id=store.id, items=data["items"], actor_id=actor().id,
                                 now=utcnow())
        db.session.commit()
        return {"store_id": store.id, "overrides": count}
