"""POST /api/v1/counter/preview: the counter's cart with prices, stock and FEFO lots, nothing written."""
from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields, validate

from ..clock import local_today
from ..controlled.classes import class_name, required_form
from ..controlled.counter import controlled_preview
from ..extensions import db
from ..presenters.messages import Sentence
from ..sales.cart import preview_cart
from ..sales.discounts import discount_preview
from ..sales.models import PAYMENT_METHODS
from ..schemas import Base, Id, Money, Quantity, Text, WholeNumber
from .auth import actor
from .documents import store_for_write

blp = Blueprint("counter", __name__, url_prefix="/api/v1", description="Counter cart preview")


class PreviewLineInSchema(Base):
    product_id = Id(required=True)
    unit = Text(50, required=True)
    quantity = Quantity(required=True)
    lot = fields.String(allow_none=True, validate=validate.Length(min=1, max=50))
    discount_percent = WholeNumber(validate=validate.Range(min=0, max=100), allow_none=True)
    discount_amount = Money(allow_none=True, metadata={"description": "VND off the whole line"})


class PreviewInSchema(Base):
    store_id = Id(required=True)
    lines = fields.List(fields.Nested(PreviewLineInSchema), required=True, validate=validate.Length(max=100))
    payment_method = fields.String(load_default="cash", validate=validate.OneOf(PAYMENT_METHODS))
    amount_tendered = fields.Integer(load_default=None, allow_none=True, strict=True,
                                     validate=validate.Range(min=0, max=10**12))
    discount_amount = Money(load_default=0, metadata={"description": "VND off the whole sale (the cart)"})


class PreviewAllocationSchema(Base):
    lot = fields.String()
    expiry = fields.Date()
    quantity = fields.Integer(metadata={"description": "base units"})
    near_expiry = fields.Boolean()


class UnitBriefSchema(Base):
    name = fields.String()
    factor = fields.Integer()
    price = fields.Integer()


class LinePreviewSchema(Base):
    index = fields.Integer()
    product_id = fields.Function(lambda line: line.product.id if line.product else None)
    product_name = fields.Function(lambda line: line.product.name if line.product else None)
    prescription_only = fields.Function(lambda line: bool(line.product and line.product.prescription_only))
    control_class = fields.Function(lambda line: class_name(line.product.special_control_type if line.product else 0),
                                    metadata={"description": "none | narcotic | psychotropic | precursor | toxic | "
                                                             "banned_in_sectors | radioactive"})
    prescription_form = fields.Function(lambda line: required_form(line.product) if line.product else "", metadata={
        "description": "the prescription form it is sold on: N, H, or '' (ordinary)"})
    units = fields.Function(lambda line: UnitBriefSchema(many=True).dump(line.units_here()))
    base_unit = fields.Function(lambda line: line.product.base_unit.name if line.product else None)
    unit = fields.Function(lambda line: line.unit.name if line.unit else None)
    unit_factor = fields.Function(lambda line: line.unit.factor if line.unit else None)
    unit_price = fields.Integer(allow_none=True, metadata={"description": "the store's price of the unit"})
    quantity = fields.Integer()
    lot = fields.String(allow_none=True)
    gross = fields.Integer(metadata={"description": "quantity × unit price"})
    discount_amount = fields.Integer(attribute="discount", metadata={"description": "the line's own discount"})
    cart_discount_share = fields.Integer(attribute="cart_share", metadata={
        "description": "its part of the cart's discount"})
    amount = fields.Integer(metadata={"description": "net: gross less both discounts"})
    sellable_base = fields.Integer(metadata={"description": "sellable (unexpired) base units before this line"})
    allocations = fields.List(fields.Nested(PreviewAllocationSchema))
    problem = fields.String(allow_none=True)
    message = Sentence()
    available_base = fields.Integer(allow_none=True,
                                    metadata={"description": "problem insufficient: sellable base units"})


class CartPreviewSchema(Base):
    lines = fields.List(fields.Nested(LinePreviewSchema))
    gross = fields.Integer(metadata={"description": "VND before any discount"})
    discount_total = fields.Integer(metadata={"description": "every discount: gross - total"})
    total = fields.Integer(metadata={"description": "net: what the customer pays"})
    needs_approval = fields.Boolean(metadata={
        "description": "a discount above the seller's ceiling: the sale will need an owner's approval"})
    max_discount_percent = fields.Integer(allow_none=True, metadata={
        "description": "the seller's ceiling in % of the gross; null: none (an owner)"})
    needs_prescription = fields.Boolean()
    can_pay = fields.Boolean()
    cash_missing = fields.Integer(metadata={"description": "cash: VND still missing from amount_tendered"})
    change = fields.Integer(metadata={"description": "cash: VND to give back"})


@blp.route("/counter/preview")
class Preview(MethodView):
    @blp.arguments(PreviewInSchema)
    @blp.response(200, CartPreviewSchema)
    def post(self, data):
        """Preview a cart: which lots FEFO would take, near-expiry marks, why a line cannot be sold, and the
        discounts (a line's, the cart's) with the net total and whether they need an owner's approval."""
        store = store_for_write(data["store_id"])
        preview = preview_cart(
            db.session, store_id=store.id, lines=data["lines"], today=local_today(),
            near_expiry_days=current_app.config["NEAR_EXPIRY_DAYS"],
            payment_method=data["payment_method"], amount_tendered=data["amount_tendered"],
        )
        seller = actor()
        controlled_preview(preview, store=store, actor=seller)  # before the discounts: a blocked line has none
        discount_preview(preview, data["lines"], data["discount_amount"],
                         max_percent=None if seller.is_owner else store.pharmacist_max_discount_percent)
        return preview
