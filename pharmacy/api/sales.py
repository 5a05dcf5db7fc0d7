"""Retail sales with FEFO lot allocation."""
from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields, validate

from connectors.sync.lanes.prescriptions.clients import report_targets

from ..auth.passwords import find_user, password_matches
from ..clock import utcnow
from ..controlled.classes import PRESCRIPTION_FORMS
from ..einvoices.queries import einvoice_summary
from ..einvoices.services import check_buyer, set_buyer
from ..errors import Forbidden, Invalid, msg
from ..extensions import db
from ..payments.transfers import settle_otherwise
from ..sales.models import PAYMENT_METHODS, Sale
from ..sales.services import record_sale
from ..schemas import Base, Id, Money, Quantity, Text, WholeNumber
from ..stores.models import User
from .auth import actor
from .documents import AllocationSchema, DocumentListQuerySchema, document_for, list_documents, store_for_write
from .idempotency import IDEMPOTENCY_HEADER, idempotent
from .pagination import page_of
from .prescriptions import look_up_for_sale

blp = Blueprint("sales", __name__, url_prefix="/api/v1", description="Sales")


class PrescriptionInSchema(Base):
    national_code = fields.String(validate=validate.Length(min=1, max=50))
    doctor_name = Text(200)
    facility_name = Text(500)
    patient_name = Text(200)
    patient_cccd = fields.String(validate=validate.Regexp(r"^\d{12}$", error=str(msg("A CCCD has 12 digits."))))
    diagnosis = Text(500)
    issued_on = fields.Date()
    form = fields.String(validate=validate.OneOf(PRESCRIPTION_FORMS), metadata={
        "description": "a paper prescription's form: '' ordinary, N narcotic, H psychotropic/precursor"})


class ApprovalSchema(Base):
    username = Text(50, required=True)
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=200))


class SaleLineInSchema(Base):
    product_id = Id(required=True)
    unit = Text(50, required=True)
    quantity = Quantity(required=True)
    discount_percent = WholeNumber(validate=validate.Range(min=0, max=100), allow_none=True)
    discount_amount = Money(allow_none=True, metadata={"description": "VND off the whole line"})
    lot = fields.String(validate=validate.Length(min=1, max=50))
    prescription_line_id = fields.String(validate=validate.Length(min=1, max=50), metadata={
        "description": "the prescribed line this line fills (matched by national drug code when absent)"})
    prescribed_quantity = Quantity(metadata={
        "description": "a controlled drug on a paper prescription: the quantity it gives, in the line's unit"})
    substitution_reason = Text(500, metadata={
        "description": "required when the product differs from the prescribed one"})
    directions = Text(300, metadata={"description": "dosage: a code (`S1 C1 SA x5`, grid `1-0-1-0`) or free text; "
                                                    "ambiguous codes are refused"})


class BuyerSchema(Base):
    """Who buys: required for a controlled drug (the customer-detail book); otherwise only when the customer asks for
    their details on the e-invoice (a walk-in buyer has none). A store issuing e-invoices puts them on the invoice."""

    tax_code = Text(14, metadata={"description": "a business buyer's tax code (needs name and address)"})
    id_number = Text(12, metadata={"description": "CCCD, CMND or passport number (8–12 letters or digits)"})
    name = Text(200)
    address = Text(500)
    email = Text(200, metadata={"description": "where the provider sends the invoice link"})
    phone = Text(10)


class EInvoiceCorrectionSchema(Base):
    kind = fields.String(metadata={"description": "adjustment | replacement | decrease"})
    number = fields.String(allow_none=True)
    mtt_code = fields.String(allow_none=True)
    status = fields.String()
    amount = fields.Integer(metadata={"description": "VND the correction changes (negative: a decrease)"})
    document_number = fields.String()


class EInvoiceSchema(Base):
    status = fields.String(metadata={"description": "as the other sync messages: pending | sending | sent | "
                                                    "rejected | held | cancelled"})
    symbol = fields.String()
    template = fields.String()
    number = fields.String(allow_none=True)
    mtt_code = fields.String(allow_none=True, metadata={"description": "the tax authority's 23-character code"})
    lookup_code = fields.String(allow_none=True)
    issued_at = fields.DateTime(allow_none=True)
    buyer = fields.Nested(BuyerSchema, allow_none=True)
    corrections = fields.List(fields.Nested(EInvoiceCorrectionSchema))


class SaleInSchema(Base):
    store_id = Id(required=True)
    customer_name = Text(200, load_default="")
    customer_id = Id(allow_none=True, metadata={"description": "names the sale after the customer"})
    payment_method = fields.String(load_default="cash", validate=validate.OneOf(PAYMENT_METHODS))
    amount_tendered = Money(allow_none=True)
    discount_amount = Money(load_default=0, metadata={"description": "VND off the whole sale (the cart)"})
    discount_reason = Text(200, load_default="")
    approval = fields.Nested(ApprovalSchema, allow_none=True, metadata={
        "description": "an owner's username and password, for a discount above the store's ceiling"})
    prescription = fields.Nested(PrescriptionInSchema, allow_none=True)
    lines = fields.List(fields.Nested(SaleLineInSchema), required=True, validate=validate.Length(min=1, max=100))
    buyer = fields.Nested(BuyerSchema, allow_none=True, metadata={
        "description": "required for a controlled drug; on the e-invoice of a store issuing them"})


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
    gross = fields.Integer(metadata={"description": "quantity × unit price"})
    discount_amount = fields.Integer(metadata={"description": "the line's own discount"})
    cart_discount_share = fields.Integer(metadata={"description": "its part of the sale's discount"})
    amount = fields.Integer(metadata={"description": "net: gross less both discounts"})
    base_quantity = fields.Integer()
    returned_base_quantity = fields.Integer()
    allocations = fields.List(fields.Nested(AllocationSchema))
    directions = fields.String(allow_none=True)
    directions_text = fields.String(allow_none=True, metadata={"description": "the directions in full Vietnamese"})
    prescribed_quantity = fields.Integer(allow_none=True, metadata={
        "description": "a controlled drug on a paper prescription: the quantity it gives, in the line's unit"})
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
    form = fields.String(metadata={"description": "'' ordinary, N narcotic, H psychotropic/precursor (paper)"})


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


class PaymentSchema(Base):
    status = fields.String(attribute="payment_status", metadata={"description": "paid | awaiting_payment"})
    vietqr = fields.String(attribute="payment_qr", allow_none=True,
                           metadata={"description": "EMVCo payload to draw as a QR (bank transfers)"})
    memo = fields.String(attribute="payment_memo", allow_none=True)
    paid_at = fields.DateTime(allow_none=True)


PAYMENT = PaymentSchema()  # one instance: a schema's construction copies its fields (every sale's answer dumps it)


class SaleSchema(Base):
    id = fields.Integer()
    number = fields.String()
    store_id = fields.Integer()
    status = fields.String()
    customer_name = fields.String()
    customer_id = fields.Integer(allow_none=True)
    payment_method = fields.String()
    payment = fields.Function(lambda sale: PAYMENT.dump(sale))
    gross = fields.Integer(metadata={"description": "VND at list prices"})
    discount_amount = fields.Integer(metadata={"description": "the cart's discount"})
    discount_total = fields.Integer(metadata={"description": "every discount: gross - total"})
    discount_reason = fields.String()
    total = fields.Integer(metadata={"description": "net: what the customer pays"})
    amount_tendered = fields.Integer(allow_none=True)
    change = fields.Integer()
    seller = fields.Function(lambda sale: sale.seller.display_name)
    created_at = fields.DateTime()
    prescription = fields.Nested(PrescriptionSchema, allow_none=True)
    lines = fields.List(fields.Nested(SaleLineSchema))
    void = fields.Nested(SaleVoidSchema, allow_none=True)
    returns = fields.List(fields.Nested(SaleReturnSummarySchema))
    einvoice = fields.Function(lambda sale: _einvoice(sale), metadata={
        "description": "the tax e-invoice and its corrections; null when the store has e-invoices off"})


def _einvoice(sale: Sale) -> dict | None:
    if getattr(sale, "einvoice_absent", False):  # just recorded for a store without e-invoices: no read
        return None
    summary = einvoice_summary(db.session, sale.id)
    return None if summary is None else EInvoiceSchema().dump(summary)


SALE_IN = SaleInSchema()  # an instance: given the class, webargs builds the schema (and its nested lines) per request


@blp.route("/sales")
class Sales(MethodView):
    @blp.arguments(DocumentListQuerySchema, location="query")
    @blp.response(200, page_of(SaleSchema))
    def get(self, args):
        return list_documents(Sale, args)

    @blp.arguments(SALE_IN)
    @blp.response(201, SaleSchema)
    @blp.doc(parameters=[IDEMPOTENCY_HEADER])
    @idempotent(Sale)
    def post(self, data):
        """Sell: lots are taken first-expiry-first-out (or the named lot); expired lots are never sold."""
        store = store_for_write(data.pop("store_id"))
        look_up_for_sale(data.get("prescription"), store.id)
        approver = owner_approval(data.pop("approval", None))
        buyer = check_buyer(data.get("buyer"))
        sale = record_sale(db.session, store=store, actor=actor(), now=utcnow(), discount_approved_by=approver,
                           prescription_targets=report_targets(current_app.config), **data)
        if buyer and not getattr(sale, "einvoice_absent", False):
            set_buyer(db.session, sale, buyer)
        return sale


def owner_approval(approval: dict | None) -> User | None:
    """The owner approving at the counter, by their password (one Argon2 check, nothing committed), or None."""
    if approval is None:
        return None
    user = find_user(db.session, approval["username"])
    if not password_matches(user.password_hash if user else None, approval["password"]) or user is None:
        raise Invalid(msg("Wrong username or password of the owner."), field="approval")
    if not user.is_owner:
        raise Forbidden(msg("Only an owner may approve a discount."), field="approval")
    return user


def sale_for(sale_id: int) -> Sale:
    return document_for(Sale, sale_id, msg("sale"), field="sale_id")


@blp.route("/sales/<int:sale_id>")
class SaleItem(MethodView):
    @blp.response(200, SaleSchema)
    def get(self, sale_id):
        """The sale; the counter polls it while a bank transfer is awaiting payment."""
        return sale_for(sale_id)


@blp.route("/sales/<int:sale_id>/buyer")
class SaleBuyer(MethodView):
    @blp.arguments(BuyerSchema)
    @blp.response(200, SaleSchema)
    def put(self, data, sale_id):
        """The buyer's details on the sale's e-invoice, when the customer asks after paying; only while the
        invoice has not gone to the provider (an empty body: a walk-in buyer again)."""
        sale = sale_for(sale_id)
        store_for_write(sale.store_id)
        set_buyer(db.session, sale, data)
        db.session.commit()
        return sale


class SettleInSchema(Base):
    payment_method = fields.String(required=True, validate=validate.OneOf(PAYMENT_METHODS), metadata={
        "description": "cash or card: paid another way; bank_transfer: received, marked by hand (owner approval)"})
    amount_tendered = Money(allow_none=True)
    approval = fields.Nested(ApprovalSchema, allow_none=True)


@blp.route("/sales/<int:sale_id>/payment")
class SalePayment(MethodView):
    @blp.arguments(SettleInSchema)
    @blp.response(200, SaleSchema)
    def post(self, data, sale_id):
        """A sale awaiting a bank transfer paid another way (cash, card) instead, or its transfer marked received
        by hand with an owner's `approval` (kept on the sale): paid now."""
        sale = sale_for(sale_id)
        store_for_write(sale.store_id)
        confirmed_by = owner_approval(data.pop("approval", None))
        sale = settle_otherwise(db.session, sale, now=utcnow(), confirmed_by=confirmed_by,
                                prescription_targets=report_targets(current_app.config), **data)
        db.session.commit()
        return sale
