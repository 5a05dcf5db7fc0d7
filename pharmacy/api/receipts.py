"""Goods receipts: supplier deliveries, unmatched customer returns and opening stock."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields, validate

from ..clock import utcnow
from ..errors import msg
from ..extensions import db
from ..receipts.models import RECEIPT_KINDS, Receipt
from ..receipts.services import record_receipt
from ..schemas import Base, Id, Money, Quantity, Text
from .auth import actor
from .documents import DAY_RANGE, DocumentListQuerySchema, document_for, list_documents, store_for_write
from .idempotency import IDEMPOTENCY_HEADER, idempotent
from .pagination import page_of

blp = Blueprint("receipts", __name__, url_prefix="/api/v1", description="Goods receipts")


class ReceiptLineInSchema(Base):
    product_id = Id(required=True)
    unit = Text(50, required=True)
    quantity = Quantity(required=True)
    lot = fields.String(required=True, validate=validate.Regexp(
        r"^[\x21-\x7e]{1,50}$", error=str(msg("A lot number has 1–50 characters, without accents or spaces."))))
    expiry = fields.Date(required=True)
    manufactured = fields.Date(allow_none=True)
    unit_price = Money(required=True)


class ReceiptInSchema(Base):
    store_id = Id(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(RECEIPT_KINDS))
    supplier_name = Text(500, load_default="")
    supplier_id = Id(metadata={"description": "a known supplier; its name is used"})
    supplier_invoice_number = Text(50, load_default="", metadata={"description": "the supplier's invoice number"})
    supplier_invoice_date = fields.Date(validate=DAY_RANGE, metadata={"description": "the supplier's invoice date"})
    on_credit = fields.Boolean(load_default=False, metadata={"description": "owed to the supplier until paid"})
    note = Text(500, load_default="")
    lines = fields.List(fields.Nested(ReceiptLineInSchema), required=True, validate=validate.Length(min=1, max=200))


class ReceiptLineSchema(Base):
    id = fields.Integer()
    product_id = fields.Integer()
    product_name = fields.Function(lambda line: line.product.name)
    unit = fields.String(attribute="unit_name")
    quantity = fields.Integer()
    base_quantity = fields.Integer()
    lot = fields.String()
    expiry = fields.Date()
    manufactured = fields.Date(allow_none=True)
    unit_price = fields.Integer()


class ReceiptSchema(Base):
    id = fields.Integer()
    number = fields.String()
    store_id = fields.Integer()
    kind = fields.String()
    supplier_name = fields.String()
    supplier_id = fields.Integer(allow_none=True)
    supplier_invoice_number = fields.String()
    supplier_invoice_date = fields.Date(allow_none=True)
    on_credit = fields.Boolean()
    total = fields.Integer()
    note = fields.String()
    created_at = fields.DateTime()
    lines = fields.List(fields.Nested(ReceiptLineSchema))


@blp.route("/receipts")
class Receipts(MethodView):
    @blp.arguments(DocumentListQuerySchema, location="query")
    @blp.response(200, page_of(ReceiptSchema))
    def get(self, args):
        return list_documents(Receipt, args)

    @blp.arguments(ReceiptInSchema)
    @blp.response(201, ReceiptSchema)
    @blp.doc(parameters=[IDEMPOTENCY_HEADER])
    @idempotent(Receipt)
    def post(self, data):
        """Record goods in; stock goes into the named lots (base units) and the national outbox."""
        store = store_for_write(data.pop("store_id"))
        receipt = record_receipt(db.session, store=store, actor=actor(), now=utcnow(), **data)
        return receipt


@blp.route("/receipts/<int:receipt_id>")
class ReceiptItem(MethodView):
    @blp.response(200, ReceiptSchema)
    def get(self, receipt_id):
        return document_for(Receipt, receipt_id, msg("goods receipt"), field="receipt_id")
