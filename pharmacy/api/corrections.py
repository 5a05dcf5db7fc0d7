"""Corrections of a sale: the void (`POST /sales/{id}/void`) and customer returns (`/sales/{id}/returns`)."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields, validate

from ..clock import utcnow
from ..errors import msg
from ..extensions import db
from ..sales.corrections import record_return, void_sale
from ..sales.models import CustomerReturn, Sale
from ..schemas import Base, Id, Quantity, Text
from .auth import actor
from .documents import DocumentListQuerySchema, document_for, list_documents
from .idempotency import IDEMPOTENCY_HEADER, idempotent
from .pagination import PageArgsSchema, page_of, paginate_list
from .sales import SaleSchema, sale_for

blp = Blueprint("corrections", __name__, url_prefix="/api/v1", description="Voids and customer returns")


class VoidInSchema(Base):
    reason = Text(500, required=True)


class ReturnLineInSchema(Base):
    sale_line_id = Id(required=True)
    quantity = Quantity(required=True, metadata={"description": "In the sale line's unit unless `unit` is given."})
    unit = Text(50)
    lot = fields.String(validate=validate.Length(min=1, max=50))


class ReturnInSchema(Base):
    lines = fields.List(fields.Nested(ReturnLineInSchema), required=True, validate=validate.Length(min=1, max=100))
    reason = Text(500, load_default="")


class ReturnLineSchema(Base):
    id = fields.Integer()
    sale_line_id = fields.Integer()
    product_id = fields.Function(lambda line: line.sale_line.product_id)
    product_name = fields.Function(lambda line: line.sale_line.product.name)
    base_unit = fields.Function(lambda line: line.sale_line.product.base_unit.name)
    base_quantity = fields.Integer()
    lot = fields.String()
    expiry = fields.Date()
    refund = fields.Integer()


class CustomerReturnSchema(Base):
    id = fields.Integer()
    number = fields.String()
    store_id = fields.Integer()
    sale_id = fields.Integer()
    sale_number = fields.Function(lambda document: document.sale.number)
    reason = fields.String()
    refund_total = fields.Integer()
    user = fields.Function(lambda document: document.user.display_name)
    created_at = fields.DateTime()
    lines = fields.List(fields.Nested(ReturnLineSchema))


@blp.route("/sales/<int:sale_id>/void")
class SaleVoidResource(MethodView):
    @blp.arguments(VoidInSchema)
    @blp.response(201, SaleSchema)
    @blp.doc(parameters=[IDEMPOTENCY_HEADER])
    @idempotent(Sale)
    def post(self, data, sale_id):
        """Void the whole sale: units not yet returned go back to their lots; a sale is voided once."""
        sale = sale_for(sale_id)
        void_sale(db.session, sale=sale, reason=data["reason"], actor=actor(), now=utcnow())
        return sale


@blp.route("/sales/<int:sale_id>/returns")
class SaleReturns(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, page_of(CustomerReturnSchema))
    def get(self, args, sale_id):
        return paginate_list(list(sale_for(sale_id).returns), args)

    @blp.arguments(ReturnInSchema)
    @blp.response(201, CustomerReturnSchema)
    @blp.doc(parameters=[IDEMPOTENCY_HEADER])
    @idempotent(CustomerReturn)
    def post(self, data, sale_id):
        """Take units back into the lots they were sold from (latest expiry first, or the named lot)."""
        sale = sale_for(sale_id)
        document = record_return(db.session, sale=sale, actor=actor(), now=utcnow(), **data)
        return document


@blp.route("/returns")
class Returns(MethodView):
    @blp.arguments(DocumentListQuerySchema, location="query")
    @blp.response(200, page_of(CustomerReturnSchema))
    def get(self, args):
        return list_documents(CustomerReturn, args)


@blp.route("/returns/<int:return_id>")
class ReturnItem(MethodView):
    @blp.response(200, CustomerReturnSchema)
    def get(self, return_id):
        return document_for(CustomerReturn, return_id, msg("customer return"))
