"""Customers of the chain: found by phone at the counter, with their purchase history and total spent."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields, validate
from sqlalchemy import select

from ..clock import utcnow
from ..customers.models import Customer
from ..customers.phones import normalize_phone
from ..customers.services import get_customer, purchases, save_customer, search_customers, total_spent
from ..extensions import db
from ..schemas import Base, Patchable, Text, WholeNumber
from ..stores.services import accessible_store_ids
from .auth import actor
from .documents import AllocationSchema
from .pagination import PageArgsSchema, page_of, paginate
from .sales import ProductLineSchema

blp = Blueprint("customers", __name__, url_prefix="/api/v1", description="Customers")


class CustomerInSchema(Patchable):
    phone = Text(30, required=True, metadata={"description": "Vietnamese mobile: +84 / 84 / 0 prefix, spaces or "
                                                             "dots allowed; stored as 0xxxxxxxxx"})
    name = Text(200, required=True)
    birth_year = WholeNumber(allow_none=True, validate=validate.Range(min=1900, max=2100))
    address = Text(500)
    allergies = Text(1000)
    notes = Text(1000)


class CustomerSchema(Base):
    id = fields.Integer()
    phone = fields.String()
    name = fields.String()
    birth_year = fields.Integer(allow_none=True)
    address = fields.String()
    allergies = fields.String()
    notes = fields.String()
    created_at = fields.DateTime()


class CustomerDetailSchema(CustomerSchema):
    total_spent = fields.Integer(metadata={"description": "VND of sales that stand, less refunds"})


class CustomerQuerySchema(PageArgsSchema):
    phone = fields.String(validate=validate.Length(min=1, max=30),
                          metadata={"description": "exact phone, in any accepted format"})
    q = fields.String(validate=validate.Length(min=1, max=100), metadata={"description": "name or part of a phone"})


class PurchaseLineSchema(ProductLineSchema):
    unit_price = fields.Integer()
    amount = fields.Integer()
    allocations = fields.List(fields.Nested(AllocationSchema))


class PurchaseSchema(Base):
    """One sale of the customer: what, when, which lot (recalls read it)."""

    sale_id = fields.Integer(attribute="id")
    number = fields.String()
    store_id = fields.Integer()
    status = fields.String()
    created_at = fields.DateTime()
    total = fields.Integer()
    lines = fields.List(fields.Nested(PurchaseLineSchema))


def _customer(customer_id: int) -> Customer:
    return get_customer(db.session, customer_id)


def _detail(customer: Customer) -> Customer:
    customer.total_spent = total_spent(db.session, customer, accessible_store_ids(actor()))
    return customer


@blp.route("/customers")
class Customers(MethodView):
    @blp.arguments(CustomerQuerySchema, location="query")
    @blp.response(200, page_of(CustomerSchema))
    def get(self, args):
        """Customers by exact phone (the counter's lookup), or by name / part of a phone."""
        if "phone" in args:
            stmt = select(Customer).where(Customer.phone == normalize_phone(args["phone"])).order_by(Customer.id)
        else:
            stmt = search_customers(args.get("q"))
        return paginate(db.session, stmt, args)

    @blp.arguments(CustomerInSchema)
    @blp.response(201, CustomerDetailSchema)
    def post(self, data):
        """Create a customer; a phone already known is a 409 naming `phone` with that `customer_id`."""
        customer = save_customer(db.session, data, now=utcnow())
        db.session.commit()
        return _detail(customer)


@blp.route("/customers/<int:customer_id>")
class CustomerItem(MethodView):
    @blp.response(200, CustomerDetailSchema)
    def get(self, customer_id):
        return _detail(_customer(customer_id))

    @blp.arguments(CustomerInSchema(partial=True), as_kwargs=False)
    @blp.response(200, CustomerDetailSchema)
    def patch(self, data, customer_id):
        customer = save_customer(db.session, data, now=utcnow(), customer=_customer(customer_id))
        db.session.commit()
        return _detail(customer)


@blp.route("/customers/<int:customer_id>/purchases")
class CustomerPurchases(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, page_of(PurchaseSchema))
    def get(self, args, customer_id):
        """The customer's sales, newest first, in the stores the caller may see."""
        return paginate(db.session, purchases(_customer(customer_id), accessible_store_ids(actor())), args)
