"""Retail sales with FEFO lot allocation."""
from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields, validate

from connectors.sync.lanes.prescriptions.clients import report_targets

from ..clock import utcnow
from ..errors import msg
from ..extensions import db
from ..sales.models import PAYMENT_METHODS, Sale
from ..sales.services import record_sale
from .auth import actor
from .documents import AllocationSchema, DocumentListQuerySchema, document_for, list_documents, store_for_write
from .idempotency import IDEMPOTENCY_HEADER, idempotent
from .pagination import page_of
from .prescriptions import look_up_for_sale
from ..schemas import Base, Id, Money, Quantity, Text

blp = Blueprint("sales", __name__, url_prefix="/api/v1", description="Sales")


class PrescriptionInSchema(Base):
    national_code = fields.String(validate=validate.Length(min=1, max=50))
    doctor_name = Text(200)
    facility_name = Text(500)
    patient_name = Text(200)
    patient_cccd = fields.String(validate=validate.Regexp(r"^\d{12}$", error=str(msg("A CCCD has 12 digits."))))
    diagnosis = Text(500)
    issued_on = fields.Date()


class SaleLineInSchema(Base):
    product_id = Id(required=True)
    unit = Text(50, required=True)
    quantity = Quantity(required=True)
    lot = fields.String(validate=validate.Length(min=1, max=50))
    prescription_line_id = fields.String(validate=validate.Length(min=1, max=50), metadata={
        "description": "the prescribed line this line fills (matched by national drug code when absent)"})
    substitution_reason = Text(500, metadata={"description": "required when the product differs from the prescribed one"})


class SaleInSchema(Base):
    store_id = Id(required=True)
    customer_name = Text(200, load_default="")
    payment_method = fields.String(load_default="cash", validate=validate.OneOf(PAYMENT_METHODS))
    amount_tendered = Money(allow_none=True)
    prescription = fields.Nested(PrescriptionInSchema, allow_none=True)
    lines = fields.List(fields.Nested(SaleLineInSchema), required=True, validate=validate.Length(min=1, max=100))


class ProductLineSchema(Base):
    """What every document line shows: the product, the unit as entered and the quantity in it."""

    id = fields.Integer()
    product_id = fields.Integer()
    product_name = fields.Function(lambda line: line.product.name)
    unit = fields.String(attribute="unit_name")
    unit_factor = fields.Integer()
    quantity = fields.Integer()


class SaleLineSchema(ProductLineSchema):
    unit_price = fields.Integer()
    amount = fields.Integer()
    base_quantity = fields.Integer()
    returned_base_quantity = fields.Integer()
    allocations = fields.List(fields.Nested(AllocationSchema))
    prescription_line_id = fields.Function(lambda line: line.dispense.prescription_line_id if line.dispense else None)
    substitution_reason = fields.Function(lambda line: line.dispense.substitution_reason if line.dispense else None)


class PrescriptionSchema(Base):
    id = fields.Integer()
    kind = fields.String()
    national_code = fields.String(allow_none=True)
    doctor_name = fields.String()
    facility_name = fields.String()
    patient_name = fields.String()
    issued_on = fields.Date(allow_none=True)


class SaleVoidSchema(Base):
    id = fields.Integer()
    number = fields.String()
    reason = fields.String()
    refund = fields.Integer(metadata={"description": "VND to hand back: the total less what returns refunded"})
    user = fields.Function(lambda void: void.user.display_name)
    created_at = fields.DateTime()


class SaleReturnSummarySchema(Base):
    id = fields.Integer()
    number = fields.String()
    refund_total = fields.Integer()
    created_at = fields.DateTime()


class SaleSchema(Base):
    id = fields.Integer()
    number = fields.String()
    store_id = fields.Integer()
    status = fields.String()
    customer_name = fields.String()
    payment_method = fields.String()
    total = fields.Integer()
    amount_tendered = fields.Integer(allow_none=True)
    change = fields.Integer()
    seller = fields.Function(lambda sale: sale.seller.display_name)
    created_at = fields.DateTime()
    prescription = fields.Nested(PrescriptionSchema, allow_none=True)
    lines = fields.List(fields.Nested(SaleLineSchema))
    void = fields.Nested(SaleVoidSchema, allow_none=True)
    returns = fields.List(fields.Nested(SaleReturnSummarySchema))


@blp.route("/sales")
class Sales(MethodView):
    @blp.arguments(DocumentListQuerySchema, location="query")
    @blp.response(200, page_of(SaleSchema))
    def get(self, args):
        return list_documents(Sale, args)

    @blp.arguments(SaleInSchema)
    @blp.response(201, SaleSchema)
    @blp.doc(parameters=[IDEMPOTENCY_HEADER])
    @idempotent(Sale)
    def post(self, data):
        """Sell: lots are taken first-expiry-first-out (or the named lot); expired lots are never sold."""
        store = store_for_write(data.pop("store_id"))
        look_up_for_sale(data.get("prescription"), store.id)
        sale = record_sale(db.session, store=store, actor=actor(), now=utcnow(),
                           prescription_targets=report_targets(current_app.config), **data)
        return sale


def sale_for(sale_id: int) -> Sale:
    return document_for(Sale, sale_id, msg("sale"), field="sale_id")


@blp.route("/sales/<int:sale_id>")
class SaleItem(MethodView):
    @blp.response(200, SaleSchema)
    def get(self, sale_id):
        return sale_for(sale_id)
