"""Controlled drugs: the XNT book (Annex VIII) and customer-detail book (Annex XXI) from the controlled-drug ledger,
the 6-monthly and annual reports, and the 48-hour incidents."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields, validate

from ..clock import utcnow
from ..controlled.books import customer_book, period_of, xnt_book
from ..controlled.classes import class_name
from ..controlled.incidents import incidents_query, report_incident
from ..extensions import db
from ..schemas import Base, Id, Text
from ..stores.services import accessible_store_ids, get_store, require_store_access
from .auth import actor
from .documents import DAY_RANGE, DaysQuerySchema
from .pagination import PageArgsSchema, page_of, paginate, paginate_list

blp = Blueprint("controlled", __name__, url_prefix="/api/v1", description="Controlled drugs")


class BookQuerySchema(DaysQuerySchema):
    store_id = Id(strict=False, required=True)
    date_from = fields.Date(required=True, validate=DAY_RANGE)
    date_to = fields.Date(required=True, validate=DAY_RANGE)


class ReportQuerySchema(PageArgsSchema):
    store_id = Id(strict=False, required=True)
    year = fields.Integer(required=True, validate=validate.Range(min=2000, max=2100))
    half = fields.Integer(validate=validate.OneOf([1, 2]), metadata={"description": "1 or 2; absent: the year"})


class BookLineSchema(Base):
    at = fields.DateTime()
    document_number = fields.String()
    counterparty = fields.String()
    received = fields.Integer()
    issued = fields.Integer()
    balance = fields.Integer()


class LotBookSchema(Base):
    lot = fields.String()
    expiry = fields.Date()
    opening = fields.Integer()
    received = fields.Integer()
    issued = fields.Integer()
    closing = fields.Integer()
    lines = fields.List(fields.Nested(BookLineSchema))


class ProductBookSchema(Base):
    product_id = fields.Function(lambda book: book.product.id)
    product_name = fields.Function(lambda book: book.product.name)
    registration_no = fields.Function(lambda book: book.product.registration_no)
    control_class = fields.Function(lambda book: class_name(book.product.special_control_type))
    base_unit = fields.Function(lambda book: book.product.base_unit.name)
    lots = fields.List(fields.Nested(LotBookSchema))


class ReportRowSchema(Base):
    product_id = fields.Function(lambda book: book.product.id)
    product_name = fields.Function(lambda book: book.product.name)
    control_class = fields.Function(lambda book: class_name(book.product.special_control_type))
    opening = fields.Function(lambda book: book.total("opening"))
    received = fields.Function(lambda book: book.total("received"))
    issued = fields.Function(lambda book: book.total("issued"))
    closing = fields.Function(lambda book: book.total("closing"))


class CustomerLineSchema(Base):
    at = fields.DateTime(attribute="created_at")
    document_number = fields.String()
    buyer_name = fields.String(attribute="counterparty")
    buyer_address = fields.String()
    buyer_id_number = fields.String()
    product_id = fields.Integer()
    product_name = fields.Function(lambda entry: entry.product.name)
    lot = fields.String()
    expiry = fields.Date()
    quantity = fields.Function(lambda entry: -entry.quantity)
    prescription_code = fields.String()
    prescription_form = fields.String()
    doctor_name = fields.String()


class IncidentSchema(Base):
    id = fields.Integer()
    store_id = fields.Integer()
    product_id = fields.Integer()
    product_name = fields.Function(lambda incident: incident.product.name)
    lot = fields.String()
    quantity = fields.Integer()
    document_number = fields.String()
    opened_at = fields.DateTime()
    deadline = fields.DateTime()
    reported_at = fields.DateTime(allow_none=True)
    report_note = fields.String()


class IncidentQuerySchema(PageArgsSchema):
    store_id = Id(strict=False)
    open = fields.Boolean(load_default=False)


class IncidentReportSchema(Base):
    note = Text(1000, required=True)


def _store(store_id: int):
    store = get_store(db.session, store_id)
    require_store_access(actor(), store.id)
    return store


@blp.route("/controlled/books/xnt")
class XntBook(MethodView):
    @blp.arguments(BookQuerySchema, location="query")
    @blp.response(200, page_of(ProductBookSchema))
    def get(self, args):
        """The XNT book per product and lot (Annex VIII): opening, each entry with its balance, closing."""
        store = _store(args["store_id"])
        books = xnt_book(db.session, store_id=store.id, date_from=args["date_from"], date_to=args["date_to"])
        return paginate_list(books, args)


@blp.route("/controlled/books/customers")
class CustomerBook(MethodView):
    @blp.arguments(BookQuerySchema, location="query")
    @blp.response(200, page_of(CustomerLineSchema))
    def get(self, args):
        """Who bought which controlled drug (Annex XXI): buyer, ID, prescription, lot, quantity in base units."""
        store = _store(args["store_id"])
        return paginate(db.session, customer_book(store_id=store.id, date_from=args["date_from"],
                                                  date_to=args["date_to"]), args)


@blp.route("/controlled/reports")
class PeriodReport(MethodView):
    @blp.arguments(ReportQuerySchema, location="query")
    @blp.response(200, page_of(ReportRowSchema))
    def get(self, args):
        """The 6-monthly (half 1|2, due 15/07 and 15/01) or annual XNT report per product, from the ledger."""
        store = _store(args["store_id"])
        date_from, date_to = period_of(args["year"], args.get("half"))
        return paginate_list(xnt_book(db.session, store_id=store.id, date_from=date_from, date_to=date_to), args)


@blp.route("/controlled/incidents")
class Incidents(MethodView):
    @blp.arguments(IncidentQuerySchema, location="query")
    @blp.response(200, page_of(IncidentSchema))
    def get(self, args):
        """Losses and mix-ups of controlled drugs, earliest deadline first (`open`: not yet reported)."""
        if args.get("store_id"):
            require_store_access(actor(), args["store_id"])
            store_ids = [args["store_id"]]
        else:
            store_ids = accessible_store_ids(actor())
        return paginate(db.session, incidents_query(store_ids, open_only=args["open"]), args)


@blp.route("/controlled/incidents/<int:incident_id>/report")
class IncidentReport(MethodView):
    @blp.arguments(IncidentReportSchema)
    @blp.response(200, IncidentSchema)
    def post(self, data, incident_id):
        """Record that the incident was reported to the authority."""
        incident = report_incident(db.session, incident_id, note=data["note"], actor=actor(), now=utcnow())
        db.session.commit()
        return incident


