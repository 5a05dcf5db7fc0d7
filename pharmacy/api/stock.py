"""Stock on hand per store, product and lot; minimum quantities."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import ValidationError, fields, validate, validates_schema

from ..catalog.services import get_product
from ..clock import local_today
from ..extensions import db
from ..stock.fefo import is_expired
from ..stock.minimums import set_minimums
from ..stock.services import empty_below_minimum, expiry_horizon, set_min_quantity, stock_rows
from ..stores.services import accessible_store_ids, require_store_access
from .auth import actor
from .documents import store_for_write
from .schemas import Base, Id

blp = Blueprint("stock", __name__, url_prefix="/api/v1", description="Stock")


class StockQuerySchema(Base):
    store_id = Id(strict=False)
    product_id = Id(strict=False)
    expiring_within_days = fields.Integer(validate=validate.Range(min=0, max=3650))
    below_minimum = fields.Boolean(load_default=False)


class StockRowSchema(Base):
    store_id = fields.Integer()
    product_id = fields.Integer()
    product_name = fields.String()
    lot = fields.String(allow_none=True)
    expiry = fields.Date(allow_none=True)
    quantity = fields.Integer()
    base_unit = fields.String()
    expired = fields.Boolean()
    min_quantity = fields.Integer()


class MinimumItemSchema(Base):
    product_id = Id(required=True)
    min_quantity = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=10_000_000))


class MinimumInSchema(Base):
    """One minimum ({store_id, product_id, min_quantity}) or many ({store_id, items: [...]})."""

    store_id = Id(required=True)
    product_id = Id()
    min_quantity = fields.Integer(strict=True, validate=validate.Range(min=0, max=10_000_000))
    items = fields.List(fields.Nested(MinimumItemSchema), validate=validate.Length(min=1, max=20_000))

    @validates_schema
    def _one_or_many(self, data, **kwargs):
        if "items" not in data:
            for name in ("product_id", "min_quantity"):
                if name not in data:
                    raise ValidationError("Cần product_id và min_quantity, hoặc items.", field_name=name)


class MinimumSchema(Base):
    store_id = fields.Integer()
    product_id = fields.Integer()
    min_quantity = fields.Integer()
    count = fields.Integer()


@blp.route("/stock")
class Stock(MethodView):
    @blp.arguments(StockQuerySchema, location="query")
    @blp.response(200, StockRowSchema(many=True))
    def get(self, args):
        """Lots on hand (base units), optionally expiring within N days or below the store's minimum."""
        if args.get("store_id"):
            require_store_access(actor(), args["store_id"])
            store_ids = [args["store_id"]]
        else:
            store_ids = accessible_store_ids(actor())
        today = local_today()
        days = args.get("expiring_within_days")
        rows = stock_rows(
            db.session, store_ids=store_ids, product_id=args.get("product_id"),
            expiring_before=None if days is None else expiry_horizon(today, days),
            below_minimum=args["below_minimum"],
        )
        result = [
            {
                "store_id": lot.store_id, "product_id": lot.product_id, "product_name": lot.product.name,
                "lot": lot.lot, "expiry": lot.expiry, "quantity": lot.quantity,
                "base_unit": lot.product.base_unit.name, "expired": is_expired(lot.expiry, today),
                "min_quantity": minimum,
            }
            for lot, minimum in rows
        ]
        if args["below_minimum"] and days is None:
            # Products with nothing on hand are the most urgent ones below their minimum: one row, no lot.
            result += [
                {
                    "store_id": setting.store_id, "product_id": product.id, "product_name": product.name,
                    "lot": None, "expiry": None, "quantity": 0, "base_unit": product.base_unit.name,
                    "expired": False, "min_quantity": setting.min_quantity,
                }
                for setting, product in empty_below_minimum(
                    db.session, store_ids=store_ids, product_id=args.get("product_id"))
            ]
        return result


@blp.route("/stock/minimums")
class Minimums(MethodView):
    @blp.arguments(MinimumInSchema)
    @blp.response(200, MinimumSchema)
    def put(self, data):
        """Set the minimum quantity (base units) to keep of a product in a store, or of many (`items`) at once."""
        store_for_write(data["store_id"])
        if "items" in data:
            count = set_minimums(db.session, store_id=data["store_id"], items=data["items"])
            db.session.commit()
            return {"store_id": data["store_id"], "count": count}
        get_product(db.session, data["product_id"])
        setting = set_min_quantity(db.session, **data)
        db.session.commit()
        return setting
