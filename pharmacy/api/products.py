"""Products with units, prices and barcodes; diacritics-insensitive search."""
from __future__ import annotations

from dataclasses import dataclass

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import ValidationError, fields, validate, validates_schema

from ..catalog.models import Barcode, Product, ProductUnit
from ..catalog.search import search_hits
from ..catalog.services import UnitSpec, create_product, get_product, update_product
from ..catalog.store_prices import store_unit_prices, unit_price
from ..clock import local_today
from ..einvoices.presets import VAT_RATES
from ..errors import msg
from ..extensions import db
from ..schemas import Base, Id, Money, Patchable, Text, WholeNumber
from ..stores.services import require_owner, require_store_access
from .auth import actor
from .pagination import PageArgsSchema, page_of, paginate, paginate_list

MAX_SEARCH_DEPTH = 2000
blp = Blueprint("products", __name__, url_prefix="/api/v1", description="Products")


class UnitSchema(Base):
    name = Text(50, required=True)
    factor = WholeNumber(required=True, validate=validate.Range(min=1, max=100_000))
    price = Money(required=True)
    barcodes = fields.List(fields.String(validate=validate.Regexp(r"^[0-9A-Za-z]{4,64}$")), load_default=list)
    is_base = fields.Boolean(load_default=None, allow_none=True)


class ProductInSchema(Patchable):
    national_code = fields.String(allow_none=True, validate=validate.Length(min=1, max=50))
    name = Text(500, required=True)
    active_ingredient = Text(500)
    strength = Text(500)
    dosage_form = Text(200)
    route = Text(200)
    registration_no = Text(50)
    manufacturer = Text(200)
    country = Text(100)
    dosage = Text(500)
    prescription_only = fields.Boolean()
    vat_rate = fields.Integer(allow_none=True, strict=True, validate=validate.OneOf(
        VAT_RATES, error=str(msg("The VAT rate is one of 0, 5, 8 or 10 percent, or empty for the rules preset's."))),
        metadata={"description": "VAT percent on e-invoices; null: the rules preset's default (5)"})
    active = fields.Boolean()
    category_id = Id(allow_none=True, metadata={"description": "its category (nhóm hàng), or null"})
    units = fields.List(fields.Nested(UnitSchema), required=True, validate=validate.Length(min=1, max=10))


class ProductQuerySchema(PageArgsSchema):
    q = fields.String(validate=validate.Length(max=100))
    national_code = fields.String(validate=validate.Length(max=50))
    barcode = fields.String(validate=validate.Length(max=64))
    include_inactive = fields.Boolean(load_default=False, metadata={
        "description": "Owners only: also list inactive products (e.g. imported from CSDL Dược without a price)."})
    store_id = Id(strict=False, metadata={"description": "with q: rank by this store's stock and sales; adds on_hand"})
    category_id = Id(strict=False, metadata={"description": "only products of this category (nhóm hàng)"})

    @validates_schema
    def _one_filter(self, data, **kwargs):
        if sum(1 for key in ("q", "national_code", "barcode") if data.get(key)) > 1:
            raise ValidationError(msg("Use only one of q, national_code, barcode."), "q")
        if data.get("q") and data["page"] * data["per_page"] > MAX_SEARCH_DEPTH:
            raise ValidationError(msg("A search shows only the first %(count)s results.",
                                      count=MAX_SEARCH_DEPTH), "page")


class ProductUnitSchema(Base):
    name = fields.String()
    factor = fields.Integer()
    is_base = fields.Boolean()
    price = fields.Integer()
    barcodes = fields.Function(lambda unit: [barcode.code for barcode in unit.barcodes])


class ProductSchema(Base):
    id = fields.Integer()
    national_code = fields.String(allow_none=True)
    name = fields.String()
    active_ingredient = fields.String()
    strength = fields.String()
    dosage_form = fields.String()
    route = fields.String()
    registration_no = fields.String()
    manufacturer = fields.String()
    country = fields.String()
    dosage = fields.String()
    prescription_only = fields.Boolean()
    is_drug = fields.Boolean()
    vat_rate = fields.Integer(allow_none=True)
    active = fields.Boolean()
    category_id = fields.Integer(allow_none=True)
    category_name = fields.Function(lambda product: product.category.name if product.category else None)
    base_unit = fields.Function(lambda product: product.base_unit.name)
    units = fields.List(fields.Nested(ProductUnitSchema))
    on_hand = fields.Integer(allow_none=True, metadata={
        "description": "search results: sellable stock in the store asked for, in base units"})


@dataclass(frozen=True)
class PricedUnit:
    """A unit as one store sells it: its own price there, else the chain price."""

    unit: ProductUnit
    price: int

    def __getattr__(self, name: str):
        return getattr(self.unit, name)


@dataclass(frozen=True)
class PricedHit:
    """A search hit whose units carry the store's prices (the counter's search names a store)."""

    hit: object
    prices: dict

    @property
    def units(self) -> list[PricedUnit]:
        return [PricedUnit(u, unit_price(u, self.prices)) for u in self.hit.units]

    def __getattr__(self, name: str):
        return getattr(self.hit, name)


def product_page(session, args: dict, *, today) -> dict:
    """One page of products for `ProductQuerySchema` arguments; a search for a store shows that store's prices."""
    if args.get("q"):
        depth = args["page"] * args["per_page"]
        found = search_hits(session, args["q"], limit=depth + 1, include_inactive=args["include_inactive"],
                            store_id=args.get("store_id"), today=today, category_id=args.get("category_id"))
        page = paginate_list(found, args)
        if args.get("store_id") and page["items"]:
            prices = store_unit_prices(session, args["store_id"], (u.id for h in page["items"] for u in h.units))
            page["items"] = [PricedHit(hit, prices) for hit in page["items"]]
        return page
    stmt = db.select(Product).order_by(Product.name, Product.id)
    if args.get("barcode"):
        stmt = stmt.where(Product.id.in_(db.select(ProductUnit.product_id).join(Barcode)
                                         .where(Barcode.code == args["barcode"])))
    if args.get("national_code"):
        stmt = stmt.where(Product.national_code == args["national_code"])
    if not args["include_inactive"]:
        stmt = stmt.where(Product.active.is_(True))
    if args.get("category_id"):
        stmt = stmt.where(Product.category_id == args["category_id"])
    return paginate(session, stmt, args)


def _unit_specs(data: dict) -> list[UnitSpec] | None:
    units = data.pop("units", None)
    return None if units is None else [UnitSpec(**unit) for unit in units]


@blp.route("/products")
class Products(MethodView):
    @blp.arguments(ProductQuerySchema, location="query")
    @blp.response(200, page_of(ProductSchema))
    def get(self, args):
        """Products by name, national code or barcode. With `q` (diacritics-insensitive, best matches first) `total`
        counts the matches up to one past this page: search ranks, it does not count."""
        if args["include_inactive"]:
            require_owner(actor())
        if args.get("store_id"):
            require_store_access(actor(), args["store_id"])
        return product_page(db.session, args, today=local_today())

    @blp.arguments(ProductInSchema)
    @blp.response(201, ProductSchema)
    def post(self, data):
        """Create a product with its units (exactly one with factor 1), prices and barcodes (owner)."""
        require_owner(actor())
        product = create_product(db.session, data, _unit_specs(data))
        db.session.commit()
        return product


@blp.route("/products/<int:product_id>")
class ProductItem(MethodView):
    @blp.response(200, ProductSchema)
    def get(self, product_id):
        return get_product(db.session, product_id)

    @blp.arguments(ProductInSchema(partial=True), as_kwargs=False)
    @blp.response(200, ProductSchema)
    def patch(self, data, product_id):
        """Change a product; `units`, when given, replaces the list of units (owner)."""
        require_owner(actor())
        product = update_product(db.session, get_product(db.session, product_id), data, _unit_specs(data))
        db.session.commit()
        return product
