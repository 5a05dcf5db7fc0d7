"""Prescriptions: national e-prescription lookup, hand records, re-checks and the recorded list."""
from __future__ import annotations

import logging

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields, validate

from connectors.http_errors import ConnectorError, NotFoundError
from connectors.sync.prescription_clients import erx_client

from ..clock import local_today, utcnow
from ..errors import DomainError, NotFound
from ..extensions import db
from ..prescriptions.book import prescriptions_in
from ..prescriptions.models import Prescription
from ..prescriptions.reading import describe
from ..prescriptions.rules import national_code
from ..prescriptions.services import record_prescription, store_lookup
from ..stores.services import accessible_store_ids, require_store_access
from .auth import actor
from .documents import DocumentListQuerySchema, document_for, store_for_write
from .sales import local_day_bounds
from .schemas import Base, Id, Text

log = logging.getLogger(__name__)
blp = Blueprint("prescriptions", __name__, url_prefix="/api/v1", description="Prescriptions")


class Unavailable(DomainError):
    """The e-prescription system cannot be reached: the pharmacist may record the prescription by hand."""

    status = 503


class PrescriptionRecordInSchema(Base):
    store_id = Id(required=True)
    national_code = fields.String(validate=validate.Length(min=1, max=50))
    doctor_name = Text(200)
    facility_name = Text(500)
    patient_name = Text(200)
    patient_cccd = fields.String(validate=validate.Regexp(r"^\d{12}$", error="CCCD có 12 chữ số."))
    diagnosis = Text(500)
    issued_on = fields.Date()


class RxStoreQuerySchema(Base):
    store_id = Id(required=True, strict=False)


class PrescriptionRecordSchema(Base):
    id = fields.Integer()
    store_id = fields.Integer()
    kind = fields.String(metadata={"description": "manual | national"})
    national_code = fields.String(allow_none=True)
    lookup_status = fields.String(allow_none=True, metadata={"description": "found | unverified | matches | differs"})
    doctor_name = fields.String()
    facility_name = fields.String()
    patient_name = fields.String()
    patient_cccd = fields.String()
    diagnosis = fields.String()
    issued_on = fields.Date(allow_none=True)
    checked_at = fields.DateTime(allow_none=True)
    differences = fields.List(fields.Dict(), allow_none=True)
    created_at = fields.DateTime()


class RxProductSchema(Base):
    id = fields.Integer()
    name = fields.String()
    national_code = fields.String(allow_none=True)
    strength = fields.String()
    prescription_only = fields.Boolean()
    unit = fields.String()
    substitution = fields.Boolean(metadata={"description": "giving it for the prescribed line needs a reason"})


class RxCartLineSchema(Base):
    product_id = fields.Integer()
    prescription_line_id = fields.String()
    unit = fields.String()
    quantity = fields.Integer()


class PrescribedLineSchema(Base):
    id = fields.String()
    national_code = fields.String(allow_none=True)
    brand = fields.String()
    name = fields.String()
    unit = fields.String()
    usage = fields.String()
    prescribed = fields.Integer()
    sold = fields.Integer(metadata={"description": "national so_luong_ban plus what this store gave, not yet shown"})
    sold_elsewhere = fields.Integer()
    pending_here = fields.Integer()
    remaining = fields.Integer()
    matched_by = fields.String(allow_none=True)
    product = fields.Nested(RxProductSchema, allow_none=True)
    candidates = fields.List(fields.Nested(RxProductSchema))
    cart = fields.Nested(RxCartLineSchema, allow_none=True)


class PrescriptionViewSchema(Base):
    prescription = fields.Nested(PrescriptionRecordSchema)
    code = fields.String(allow_none=True)
    type = fields.String(allow_none=True)
    type_name = fields.String(allow_none=True)
    controlled = fields.Boolean()
    warnings = fields.List(fields.String(), metadata={
        "description": "expired | controlled | fully_dispensed | unverified | differs"})
    validity = fields.Dict()
    patient = fields.Dict()
    doctor = fields.String()
    facility = fields.String()
    diagnoses = fields.List(fields.Dict())
    issued_at = fields.DateTime(allow_none=True)
    follow_up_on = fields.Date(allow_none=True)
    notes = fields.String()
    advice = fields.String()
    lines = fields.List(fields.Nested(PrescribedLineSchema))


def view_of(prescription: Prescription) -> dict:
    return describe(db.session, prescription, today=local_today(),
                    validity_days=current_app.config["PRESCRIPTION_VALIDITY_DAYS"])


def look_up(store_id: int, code: str) -> Prescription:
    """Ask the e-prescription system (the one synchronous national call) and keep the answer; commits."""
    code = national_code(code, field="code")
    try:
        client = erx_client(current_app.config)
    except LookupError:
        raise Unavailable("Chưa cấu hình kết nối hệ thống đơn thuốc quốc gia: nhập tay đơn thuốc.",
                          field="code", offline=True) from None
    try:
        found = client.lookup(code)
    except NotFoundError:
        raise NotFound(f"Không tìm thấy đơn thuốc {code} trên hệ thống đơn thuốc quốc gia.", field="code") from None
    except ConnectorError as exc:
        log.warning("e-prescription lookup %s failed: %s", code, exc.message)
        raise Unavailable("Không kết nối được hệ thống đơn thuốc quốc gia: nhập tay thông tin đơn để bán, "
                          "hệ thống sẽ tra cứu lại sau.", field="code", offline=True, detail=exc.message) from None
    finally:
        client.session.close()
    prescription = store_lookup(db.session, found, store_id=store_id, actor=actor(), now=utcnow())
    db.session.commit()
    return prescription


def prescription_for(prescription_id: int) -> Prescription:
    return document_for(Prescription, prescription_id, "đơn thuốc", field="prescription_id")


@blp.route("/prescriptions/national/<string:code>")
class NationalLookup(MethodView):
    @blp.arguments(RxStoreQuerySchema, location="query")
    @blp.response(200, PrescriptionViewSchema)
    def get(self, args, code):
        """Look a national prescription up (code trimmed, any case) and keep it for the store's sales."""
        require_store_access(actor(), args["store_id"])
        return view_of(look_up(args["store_id"], code))


@blp.route("/prescriptions")
class Prescriptions(MethodView):
    @blp.arguments(DocumentListQuerySchema, location="query")
    @blp.response(200, PrescriptionRecordSchema(many=True))
    def get(self, args):
        if args.get("store_id"):
            require_store_access(actor(), args["store_id"])
        store_ids = [args["store_id"]] if args.get("store_id") else accessible_store_ids(actor())
        return prescriptions_in(
            db.session, store_ids=store_ids, limit=args["limit"],
            start=local_day_bounds(args["date_from"]) if args.get("date_from") else None,
            end=local_day_bounds(args["date_to"], end=True) if args.get("date_to") else None)

    @blp.arguments(PrescriptionRecordInSchema)
    @blp.response(201, PrescriptionViewSchema)
    def post(self, data):
        """Record a paper prescription, or a national one by hand while the e-prescription system is unreachable
        (it is looked up again later and differences are flagged)."""
        store = store_for_write(data.pop("store_id"))
        prescription = record_prescription(db.session, data, store_id=store.id, actor=actor(), now=utcnow())
        db.session.commit()
        return view_of(prescription)


@blp.route("/prescriptions/<int:prescription_id>")
class PrescriptionItem(MethodView):
    @blp.response(200, PrescriptionViewSchema)
    def get(self, prescription_id):
        return view_of(prescription_for(prescription_id))


@blp.route("/prescriptions/<int:prescription_id>/recheck")
class Recheck(MethodView):
    @blp.response(200, PrescriptionViewSchema)
    def post(self, prescription_id):
        """Look a national prescription up again: fresh sold quantities; a hand record gets its differences."""
        prescription = prescription_for(prescription_id)
        if prescription.kind != "national":
            raise NotFound("Đơn giấy không có trên hệ thống đơn thuốc quốc gia.", field="prescription_id")
        return view_of(look_up(prescription.store_id, prescription.national_code))
