"""The GPP books: `GET /books/{name}` (JSON pages or an Excel file) and the registers' entries and reversals."""
from __future__ import annotations

from flask import current_app, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields, validate

from ..books.climate import import_logger_csv, record_reading
from ..books.entries import reverse
from ..books.models import ADVERSE_REACTION, COMPLAINT, CONCLUSIONS, ClimateReading, CustomerReport, QualityCheck
from ..books.quality import record_quality_check
from ..books.reports import record_report
from ..books.rules import BookRules
from ..clock import utcnow
from ..errors import Invalid, NotFound, msg
from ..extensions import db
from ..presenters.books import book_context, build_book, json_rows
from ..presenters.report_queries import PeriodQuery
from ..schemas import Base, Id, Text
from .auth import actor
from .documents import store_for_write
from .pagination import page_body
from .reports import download

blp = Blueprint("books", __name__, url_prefix="/api/v1", description="GPP record books")


class BookQuery(PeriodQuery):
    store_id = Id(strict=False, required=True)


class BookPageSchema(Base):
    name = fields.String()
    title = fields.String(metadata={"description": "in the UI language (Vietnamese unless the locale says otherwise)"})
    columns = fields.List(fields.Dict(), metadata={
        "description": "{key, header, kind}: key and kind English and stable, header in the UI language"})
    items = fields.List(fields.Dict())
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
    totals = fields.Dict(allow_none=True)


@blp.route("/books/<string:name>")
class Book(MethodView):
    @blp.arguments(BookQuery, location="query")
    @blp.response(200, BookPageSchema)
    def get(self, args, name):
        """One book of one store for the local days date_from..date_to: stock-movements, prescription-sales,
        quality-control, temperature-humidity, recalls, complaints, adverse-reactions, controlled-stock,
        controlled-customers. JSON pages of rows (with the columns), or the whole book with format=xlsx (or csv).

        The keys (`name`, the columns' `key` and `kind`, the rows' keys) are English and stable; `title`, the columns'
        `header` and the rows' display texts (a status, a conclusion, a reversal note) are in the UI language, as the
        printed book and its Excel file show them: Vietnamese unless the request's locale is another."""
        table = build_book(name, book_context(actor(), args["store_id"], args["date_from"], args["date_to"]))
        if (file := download(args, table)) is not None:
            return file
        start = (args["page"] - 1) * args["per_page"]
        body = page_body(json_rows(table.rows[start:start + args["per_page"]]), len(table.rows), args)
        return {**body, "name": name, "title": str(table.title), "totals": table.totals,
                "columns": [{"key": c.key, "header": str(c.header), "kind": c.kind} for c in table.columns]}


def _rules() -> BookRules:
    return BookRules.from_config(current_app.config)


class EntrySchema(Base):
    id = fields.Integer()
    store_id = fields.Integer()
    entry_date = fields.Date()
    user_id = fields.Integer()
    created_at = fields.DateTime()
    reverses_id = fields.Integer(allow_none=True)
    reversal_reason = fields.String()


class ReversalInSchema(Base):
    reason = Text(500, required=True)


class QualityCheckInSchema(Base):
    store_id = Id(required=True)
    entry_date = fields.Date(required=True)
    product_id = Id(required=True)
    lot = Text(50, required=True)
    expiry = fields.Date(required=True)
    unit = Text(50, required=True)
    quantity_checked = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=10_000_000))
    sensory = Text(500, required=True)
    conclusion = fields.String(required=True, validate=validate.OneOf(CONCLUSIONS))
    reason = Text(500)
    action = Text(500)


class QualityCheckSchema(EntrySchema):
    product_id = fields.Integer()
    lot = fields.String()
    expiry = fields.Date()
    unit = fields.String()
    quantity_checked = fields.Integer()
    sensory = fields.String()
    conclusion = fields.String()
    reason = fields.String()
    action = fields.String()
    quarantined = fields.Integer(metadata={"description": "base units moved to quarantine by a fail"})


class ClimateReadingInSchema(Base):
    store_id = Id(required=True)
    area = Text(100, required=True)
    read_at = fields.AwareDateTime(required=True, default_timezone=None)
    temperature = fields.Float(required=True, allow_nan=False, metadata={"description": "°C"})
    humidity = fields.Float(required=True, allow_nan=False, metadata={"description": "%RH"})
    device = Text(100, required=True)
    corrective_note = Text(500, metadata={"description": "required when a value is out of range"})


class ClimateReadingSchema(EntrySchema):
    area = fields.String()
    read_at = fields.DateTime()
    temperature = fields.Float()
    humidity = fields.Float()
    device = fields.String()
    corrective_note = fields.String()
    source = fields.String()


class ImportResultSchema(Base):
    imported = fields.Integer()
    skipped = fields.Integer()
    out_of_range = fields.Integer()


class CustomerReportInSchema(Base):
    store_id = Id(required=True)
    entry_date = fields.Date(required=True)
    customer_name = Text(200, required=True)
    customer_phone = Text(20)
    product_id = Id(allow_none=True)
    lot = Text(50)
    description = Text(2000, required=True)
    handling = Text(2000)


class CustomerReportSchema(EntrySchema):
    kind = fields.String()
    customer_name = fields.String()
    customer_phone = fields.String()
    product_id = fields.Integer(allow_none=True)
    lot = fields.String()
    description = fields.String()
    handling = fields.String()


def _reverse(model, entry_id: int, data: dict, kind: str | None):
    who = actor()
    stores = None if who.is_owner else {store.id for store in who.stores}
    if kind is not None and getattr(db.session.get(model, entry_id), "kind", kind) != kind:
        raise NotFound(msg("Book entry #%(id)s not found.", id=entry_id), field="id")
    entry = reverse(db.session, model, entry_id, reason=data["reason"], actor=who, now=utcnow(), store_ids=stores)
    db.session.commit()
    return entry


def _record(service, data: dict, **extra):
    """One register entry for the store of the body (access checked), committed."""
    store = store_for_write(data["store_id"])
    entry = service(db.session, store_id=store.id, data=data, actor=actor(), now=utcnow(), rules=_rules(), **extra)
    db.session.commit()
    return entry


@blp.route("/quality-checks")
class QualityChecks(MethodView):
    @blp.arguments(QualityCheckInSchema)
    @blp.response(201, QualityCheckSchema)
    def post(self, data):
        """Record a quality check of a lot; conclusion `fail` moves the lot's sellable units to quarantine."""
        return _record(record_quality_check, data)


@blp.route("/climate-readings")
class ClimateReadings(MethodView):
    @blp.arguments(ClimateReadingInSchema)
    @blp.response(201, ClimateReadingSchema)
    def post(self, data):
        """Record a temperature and humidity reading of a storage area (`read_at` with its offset)."""
        return _record(record_reading, data)


@blp.route("/climate-readings/import")
class ClimateImport(MethodView):
    @blp.response(201, ImportResultSchema)
    def post(self):
        """A data logger's CSV (`file`, columns time,temperature,humidity; local times) for form fields store_id,
        area, device and corrective_note (for out-of-range rows). All rows or none; rows already there skipped."""
        form = request.form
        if not (form.get("store_id") or "").isdigit():
            raise Invalid(msg("Choose the store."), field="store_id")
        store = store_for_write(int(form["store_id"]))
        upload = request.files.get("file")
        if upload is None:
            raise Invalid(msg("Choose the CSV file."), field="file")
        result = import_logger_csv(db.session, store_id=store.id, area=form.get("area", ""),
                                   device=form.get("device", ""), corrective_note=form.get("corrective_note", ""),
                                   data=upload.read(), actor=actor(), now=utcnow(), rules=_rules())
        db.session.commit()
        return result


@blp.route("/complaints")
class Complaints(MethodView):
    @blp.arguments(CustomerReportInSchema)
    @blp.response(201, CustomerReportSchema)
    def post(self, data):
        """Record a customer's complaint."""
        return _record(record_report, data, kind=COMPLAINT)


@blp.route("/adverse-reactions")
class AdverseReactions(MethodView):
    @blp.arguments(CustomerReportInSchema)
    @blp.response(201, CustomerReportSchema)
    def post(self, data):
        """Record an adverse drug reaction reported by a customer."""
        return _record(record_report, data, kind=ADVERSE_REACTION)


def _reversal_route(path: str, model, schema, kind: str | None, doc: str) -> None:
    class Reversal(MethodView):
        @blp.arguments(ReversalInSchema)
        @blp.response(201, schema)
        def post(self, data, entry_id):
            return _reverse(model, entry_id, data, kind)

    Reversal.post.__doc__ = doc
    Reversal.__name__ = f"{path.title().replace('-', '')}Reversal"
    blp.route(f"/{path}/<int:entry_id>/reversal")(Reversal)


for _path, _model, _schema, _kind in (
        ("quality-checks", QualityCheck, QualityCheckSchema, None),
        ("climate-readings", ClimateReading, ClimateReadingSchema, None),
        ("complaints", CustomerReport, CustomerReportSchema, COMPLAINT),
        ("adverse-reactions", CustomerReport, CustomerReportSchema, ADVERSE_REACTION)):
    _reversal_route(_path, _model, _schema, _kind, "Cancel an entry by a reversal entry dated today, with a "
                    "reason (entries are never edited or deleted).")
