"""Suppliers, supplier payments, what is owed to each (balance and ageing), and the last price paid."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from flask_smorest.fields import Upload
from marshmallow import fields, validate

from ..clock import local_today, utcnow
from ..errors import Invalid, NotFound, msg
from ..extensions import db
from ..schemas import Base, Id, Money, Patchable, Text
from ..stores.services import accessible_store_ids, require_owner
from ..suppliers.models import SUPPLIER_PAYMENT_METHODS, SupplierPayment
from ..suppliers.price_lists import import_price_list
from ..suppliers.services import debts, get_supplier, last_price, record_payment, save_supplier, suppliers_query
from .auth import actor
from .documents import DAY_RANGE
from .idempotency import IDEMPOTENCY_HEADER, idempotent
from .pagination import PageArgsSchema, page_body, page_of, paginate

MAX_UPLOAD = 5 * 1024 * 1024

blp = Blueprint("suppliers", __name__, url_prefix="/api/v1", description="Suppliers and what is owed to them")


class SupplierInSchema(Patchable):
    name = Text(500, required=True)
    tax_code = Text(14, metadata={"description": "mã số thuế: 10 digits, or 10-3 for a branch"})
    address = Text(500)
    phone = Text(30)


class SupplierSchema(Base):
    id = fields.Integer()
    name = fields.String()
    tax_code = fields.String()
    address = fields.String()
    phone = fields.String()


class SupplierListQuerySchema(PageArgsSchema):
    q = fields.String(validate=validate.Length(max=100), metadata={"description": "name part or exact tax code"})


class OpenReceiptSchema(Base):
    receipt_id = fields.Integer()
    number = fields.String()
    date = fields.Date()
    total = fields.Integer()
    open = fields.Integer()
    age_days = fields.Integer()


class SupplierDebtSchema(Base):
    supplier = fields.Nested(SupplierSchema)
    owed = fields.Integer(metadata={"description": "receipts on credit, VND"})
    paid = fields.Integer()
    balance = fields.Integer()
    ageing = fields.Dict(keys=fields.String(), values=fields.Integer(),
                         metadata={"description": "open VND by age in days: 0_30, 31_60, 61_90, over_90"})
    open_receipts = fields.List(fields.Nested(OpenReceiptSchema))


class SupplierPaymentInSchema(Base):
    supplier_id = Id(required=True)
    amount = Money(required=True)
    paid_on = fields.Date(validate=DAY_RANGE)
    method = fields.String(load_default="bank_transfer", validate=validate.OneOf(SUPPLIER_PAYMENT_METHODS))
    note = Text(500, load_default="")


class SupplierPaymentSchema(Base):
    id = fields.Integer()
    supplier_id = fields.Integer()
    amount = fields.Integer()
    paid_on = fields.Date()
    method = fields.String()
    note = fields.String()
    user = fields.Function(lambda payment: payment.user.display_name)
    created_at = fields.DateTime()


class LastPriceQuerySchema(Base):
    product_id = Id(strict=False, required=True)
    unit = Text(50, required=True)
    supplier_id = Id(strict=False)


class LastPriceSchema(Base):
    product_id = fields.Integer()
    unit = fields.String()
    unit_price = fields.Integer()
    receipt_id = fields.Integer(allow_none=True)
    receipt_number = fields.String(allow_none=True)
    received_at = fields.DateTime()
    supplier_id = fields.Integer(allow_none=True)
    supplier_name = fields.String()
    source = fields.String(metadata={"description": "receipt, or price_list when nothing was received yet"})


class PriceListFileSchema(Base):
    file = Upload(required=True, metadata={"description": ".xlsx or .csv: a header with price (don_gia) and "
                                                          "national_code, registration_no or barcode; unit optional"})


class PriceRowSchema(Base):
    row = fields.Integer()
    national_code = fields.String()
    registration_no = fields.String()
    barcode = fields.String()
    name = fields.String()
    unit = fields.String()
    price = fields.Integer(allow_none=True)
    product_id = fields.Integer(allow_none=True)
    product_name = fields.String()
    unit_price = fields.Integer()
    matched_by = fields.String()
    reason = fields.String(metadata={"description": "no_product, ambiguous_registration_no, unit or price"})


class PriceListResultSchema(Base):
    matched = fields.List(fields.Nested(PriceRowSchema))
    unmatched = fields.List(fields.Nested(PriceRowSchema), metadata={"description": "rows to review"})


@blp.route("/suppliers")
class Suppliers(MethodView):
    @blp.arguments(SupplierListQuerySchema, location="query")
    @blp.response(200, page_of(SupplierSchema))
    def get(self, args):
        return paginate(db.session, suppliers_query(args.get("q", "")), args)

    @blp.arguments(SupplierInSchema)
    @blp.response(201, SupplierSchema)
    def post(self, data):
        """Add a supplier (anyone who receives goods)."""
        supplier = save_supplier(db.session, data)
        db.session.commit()
        return supplier


@blp.route("/suppliers/<int:supplier_id>")
class SupplierItem(MethodView):
    @blp.response(200, SupplierSchema)
    def get(self, supplier_id):
        return get_supplier(db.session, supplier_id)

    @blp.arguments(SupplierInSchema(partial=True))
    @blp.response(200, SupplierSchema)
    def patch(self, data, supplier_id):
        """Change a supplier (owner)."""
        require_owner(actor())
        supplier = save_supplier(db.session, data, get_supplier(db.session, supplier_id))
        db.session.commit()
        return supplier


@blp.route("/supplier-debts")
class SupplierDebts(MethodView):
    @blp.arguments(SupplierListQuerySchema, location="query")
    @blp.response(200, page_of(SupplierDebtSchema))
    def get(self, args):
        """What is owed to each supplier (owner): balance, ageing, and the receipts still open, oldest first."""
        require_owner(actor())
        page = paginate(db.session, suppliers_query(args.get("q", "")), args)
        owed = debts(db.session, page["items"], today=local_today())
        items = [{"supplier": supplier, **owed[supplier.id]} for supplier in page["items"]]
        return page_body(items, page["total"], args)


@blp.route("/supplier-payments")
class SupplierPayments(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, page_of(SupplierPaymentSchema))
    def get(self, args):
        require_owner(actor())
        return paginate(db.session, db.select(SupplierPayment).order_by(SupplierPayment.id.desc()), args)

    @blp.arguments(SupplierPaymentInSchema)
    @blp.response(201, SupplierPaymentSchema)
    @blp.doc(parameters=[IDEMPOTENCY_HEADER])
    @idempotent(SupplierPayment)
    def post(self, data):
        """Pay a supplier (owner); no more than the balance owed."""
        require_owner(actor())
        supplier = get_supplier(db.session, data.pop("supplier_id"))
        return record_payment(db.session, supplier=supplier, actor=actor(), now=utcnow(), **data)


@blp.route("/suppliers/<int:supplier_id>/price-list")
class SupplierPriceList(MethodView):
    @blp.arguments(PriceListFileSchema, location="files")
    @blp.response(200, PriceListResultSchema)
    def post(self, files, supplier_id):
        """Import the supplier's price list (owner): matched rows set its prices, unmatched rows come back."""
        require_owner(actor())
        upload = files["file"]
        data = upload.read(MAX_UPLOAD + 1)
        if len(data) > MAX_UPLOAD:
            raise Invalid(msg("The file is larger than 5 MB."), field="file")
        result = import_price_list(db.session, supplier=get_supplier(db.session, supplier_id),
                                   filename=upload.filename or "", data=data, now=utcnow())
        db.session.commit()
        return result


@blp.route("/receipts/last-price")
class LastPrice(MethodView):
    @blp.arguments(LastPriceQuerySchema, location="query")
    @blp.response(200, LastPriceSchema)
    def get(self, args):
        """The unit price of the latest supplier receipt of a product in a unit (the receipt form proposes it)."""
        found = last_price(db.session, product_id=args["product_id"], unit=args["unit"],
                           supplier_id=args.get("supplier_id"), store_ids=accessible_store_ids(actor()))
        if found is None:
            raise NotFound(msg("This product has not been received in this unit from the supplier."),
                           field="product_id")
        return found
