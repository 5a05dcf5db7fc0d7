"""Stock on hand by product (a page at a time, lots under each), per-store summaries; minimum quantities."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app, jsonify
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import ValidationError, fields, validate, validates_schema

from ..catalog.services import get_product
from ..clock import local_today
from ..errors import msg
from ..extensions import db
from ..schemas import Base, Id
from ..stock.minimums import set_minimums
from ..stock.queries import ProductStock, StockFilter, stock_page, stock_summaries
from ..stock.services import expiry_horizon, set_min_quantity
from ..stores.services import accessible_store_ids, require_store_access
from .auth import actor
from .documents import store_for_write

blp = Blueprint("stock", __name__, url_prefix="/api/v1", description="Stock")


class PageQuery(Base):
    """The one pagination scheme (issue 10.21): `page` from 1, `per_page` 50 by default, at most 200."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class StockQuerySchema(PageQuery):
    store_id = Id(strict=False)
    product_id = Id(strict=False)
    q = fields.String(validate=validate.Length(max=100), metadata={"description": "name, ingredient or code"})
    expiring_within_days = fields.Integer(validate=validate.Range(min=0, max=3650), metadata={
        "description": "lots expiring by today + N days (expired ones included, flagged)"})
    expired = fields.Boolean(load_default=False, metadata={"description": "only expired lots"})
    below_minimum = fields.Boolean(load_default=False)


class LotRowSchema(Base):
    id = fields.Integer()
    lot = fields.String()
    expiry = fields.Date()
    quantity = fields.Integer(metadata={"description": "base units"})
    expired = fields.Boolean()
    near_expiry = fields.Boolean()
    state = fields.String(metadata={"description": "sellable | quarantine (a lot with both has two rows)"})


class ProductStockSchema(Base):
    store_id = fields.Integer()
    product_id = fields.Integer()
    product_name = fields.String()
    base_unit = fields.String(metadata={"description": "the unit of every quantity here"})
    on_hand = fields.Integer(metadata={"description": "whole stock in the store, whatever the filter"})
    sellable = fields.Integer(metadata={"description": "unexpired stock, quarantine excluded"})
    quarantined = fields.Integer(metadata={"description": "in quarantine: never sold, part of on_hand"})
    min_quantity = fields.Integer()
    below_minimum = fields.Boolean()
    expired_lots = fields.Integer()
    near_expiry_lots = fields.Integer()
    lots = fields.List(fields.Nested(LotRowSchema), metadata={"description": "the lots the filter picks"})


class StockPageSchema(Base):
    items = fields.List(fields.Nested(ProductStockSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


class SummaryQuerySchema(Base):
    store_id = Id(strict=False)


class StoreStockSummarySchema(Base):
    store_id = fields.Integer()
    store_code = fields.String()
    store_name = fields.String()
    products = fields.Integer()
    lots = fields.Integer()
    units_on_hand = fields.Integer(metadata={"description": "base units of all products together"})
    expired_lots = fields.Integer()
    near_expiry_lots = fields.Integer()
    below_minimum = fields.Integer(metadata={"description": "products below their minimum"})


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
                    raise ValidationError(str(msg("product_id and min_quantity, or items, are needed.")),
                                          field_name=name)


class MinimumSchema(Base):
    store_id = fields.Integer()
    product_id = fields.Integer()
    min_quantity = fields.Integer()
    count = fields.Integer()


def _store_ids(store_id: int | None) -> list[int]:
    if store_id:
        require_store_access(actor(), store_id)
        return [store_id]
    return accessible_store_ids(actor())


def _item_json(item: ProductStock) -> dict:
    lots = [{"id": lot.id, "lot": lot.lot, "expiry": lot.expiry.isoformat(), "quantity": lot.quantity,
             "expired": lot.expired, "near_expiry": lot.near_expiry, "state": lot.state} for lot in item.lots]
    return {"store_id": item.store_id, "product_id": item.product_id, "product_name": item.product_name,
            "base_unit": item.base_unit, "on_hand": item.on_hand, "sellable": item.sellable,
            "quarantined": item.quarantined,
            "min_quantity": item.min_quantity, "below_minimum": item.below_minimum,
            "expired_lots": item.expired_lots, "near_expiry_lots": item.near_expiry_lots, "lots": lots}


@blp.route("/stock")
class Stock(MethodView):
    @blp.arguments(StockQuerySchema, location="query")
    @blp.response(200, StockPageSchema)
    def get(self, args):
        """Stock by product, a page at a time: each (store, product) with its whole stock and the lots the filter
        picks (expiring within N days, expired, below the store's minimum, text)."""
        today, days = local_today(), args.get("expiring_within_days")
        wanted = StockFilter(
            product_id=args.get("product_id"), query=args.get("q") or "", below_minimum=args["below_minimum"],
            expiry_to=(today - timedelta(days=1)) if args["expired"] else (
                None if days is None else expiry_horizon(today, days)),
        )
        items, total = stock_page(db.session, store_ids=_store_ids(args.get("store_id")), wanted=wanted, today=today,
                                  near_days=current_app.config["NEAR_EXPIRY_DAYS"], page=args["page"],
                                  per_page=args["per_page"])
        # Written out by hand (the schema above documents it): dumping 10,000 lot fields through marshmallow
        # took longer than the queries.
        return jsonify({"items": [_item_json(item) for item in items], "total": total, "page": args["page"],
                        "per_page": args["per_page"]})


@blp.route("/stock/summary")
class Summary(MethodView):
    @blp.arguments(SummaryQuerySchema, location="query")
    @blp.response(200, StoreStockSummarySchema(many=True))
    def get(self, args):
        """Per store: products and lots on hand, units, expired and near-expiry lots, products below minimum."""
        return stock_summaries(db.session, store_ids=_store_ids(args.get("store_id")), today=local_today(),
                               near_days=current_app.config["NEAR_EXPIRY_DAYS"])


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
