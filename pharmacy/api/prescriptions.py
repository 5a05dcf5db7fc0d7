"""Prescriptions: national e-prescription lookup, hand records, re-checks and the recorded list."""
from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields, validate

from connectors.http_errors import ConnectorError, NotFoundError
from connectors.sync.lanes.prescriptions.clients import erx_client

from ..clock import local_today, utcnow
from ..errors import Invalid, NotFound, msg
from ..extensions import db
from ..prescriptions.lookup import Unreachable, fetch_answer, fetch_for_sale, needs_fetch, preview
from ..prescriptions.models import Prescription
from ..prescriptions.reading import describe
from ..prescriptions.services import record_prescription, store_lookup
from ..schemas import Base, Id, Text
from ..stores.services import require_store_access
from .auth import actor
from .documents import DocumentListQuerySchema, document_for, list_documents, store_for_write
from .pagination import page_of

blp = Blueprint("prescriptions", __name__, url_prefix="/api/v1", description="Prescriptions")


class PrescriptionRecordInSchema(Base):
    store_id = Id(required=True)
    national_code = fields.String(validate=validate.Length(min=1, max=50))
    doctor_name = Text(200)
    facility_name = Text(500)
    patient_name = Text(200)
    patient_cccd = fields.String(validate=validate.Regexp(r"^\d{12}$", error=str(msg("A CCCD has 12 digits."))))
    diagnosis = Text(500)
    issued_on = fields.Date()


class RxStoreQuerySchema(Base):
    store_id = Id(strict=False, metadata={"description": "Required unless the caller works in exactly one store."})


class PrescriptionRecordSchema(Base):
    id = fields.Integer(allow_none=True, metadata={"description": "null: looked up, not recorded yet (a sale or "
                                                                  "POST /prescriptions records it)"})
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
    differences = fields.List(fields.Dict(), allow_none=True, metadata={
        "description": "what was typed by hand that the national record says otherwise: {field, recorded, national}; "
                       "field is patient_name, doctor_name, facility_name, issued_on or product (a drug given that "
                       "the record does not list: national is null)"})
    created_at = fields.DateTime(allow_none=True)


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


class ValiditySchema(Base):
    issued_on = fields.Date(allow_none=True)
    expires_on = fields.Date(allow_none=True, metadata={"description": "The last day it may be filled."})
    expired = fields.Boolean()


class PatientSchema(Base):
    name = fields.String()
    cccd = fields.String(allow_none=True)
    birth_date = fields.Date(allow_none=True)
    gender = fields.String(allow_none=True)
    health_id = fields.String(allow_none=True)
    insurance_number = fields.String(allow_none=True)
    address = fields.String(allow_none=True)


class DiagnosisSchema(Base):
    code = fields.String()
    name = fields.String()


class PrescriptionViewSchema(Base):
    prescription = fields.Nested(PrescriptionRecordSchema)
    code = fields.String(allow_none=True)
    type = fields.String(allow_none=True)
    type_name = fields.String(allow_none=True)
    controlled = fields.Boolean()
    warnings = fields.List(fields.String(), metadata={
        "description": "expired | controlled | fully_dispensed | unverified | differs"})
    validity = fields.Nested(ValiditySchema)
    patient = fields.Nested(PatientSchema)
    doctor = fields.String()
    facility = fields.String()
    diagnoses = fields.List(fields.Nested(DiagnosisSchema))
    issued_at = fields.DateTime(allow_none=True)
    follow_up_on = fields.Date(allow_none=True)
    notes = fields.String()
    advice = fields.String()
    lines = fields.List(fields.Nested(PrescribedLineSchema))


def view_of(prescription: Prescription) -> dict:
    return describe(db.session, prescription, today=local_today(),
                    validity_days=current_app.config["PRESCRIPTION_VALIDITY_DAYS"])


def erx_fetch():
    """The e-prescription lookup as a plain callable for the domain (None when not configured)."""
    try:
        client = erx_client(current_app.config)
    except LookupError:
        return None

    def fetch(code: str):
        try:
            return client.lookup(code)
        except NotFoundError:
            return None
        except ConnectorError as exc:
            raise Unreachable(exc.message) from None
        finally:
            client.session.close()

    return fetch


def lookup_store_id(store_id: int | None) -> int:
    """The store a lookup is for: as given (checked), or the caller's only store."""
    if store_id is None:
        stores = actor().stores
        if actor().is_owner or len(stores) != 1:
            raise Invalid(msg("Choose a store (store_id)."), field="store_id")
        store_id = stores[0].id
    require_store_access(actor(), store_id)
    return store_id


def look_up_for_sale(prescription: dict | None, store_id: int) -> None:
    """Before a sale: a national code that was never looked up is looked up now (the pharmacist waits, as for
    F7). The read transaction ends first so no database lock is held while the national system answers."""
    now = utcnow()
    code = needs_fetch(db.session, prescription, store_id=store_id, now=now)
    if code is None:
        return
    db.session.rollback()
    fetch_for_sale(db.session, code, prescription, fetch=erx_fetch(), now=now)


def prescription_for(prescription_id: int) -> Prescription:
    return document_for(Prescription, prescription_id, msg("prescription"), field="prescription_id")


@blp.route("/prescriptions/national/<string:code>")
class NationalLookup(MethodView):
    @blp.arguments(RxStoreQuerySchema, location="query")
    @blp.response(200, PrescriptionViewSchema)
    def get(self, args, code):
        """Look a national prescription up (code trimmed, any case). Records nothing: the answer is cached for
        the sale that follows, which records the prescription."""
        store_id = lookup_store_id(args.get("store_id"))
        shown = preview(db.session, code, store_id=store_id, user_id=actor().id, fetch=erx_fetch(), now=utcnow())
        view = view_of(shown)
        db.session.commit()  # the answer cache only
        return view


@blp.route("/prescriptions")
class Prescriptions(MethodView):
    @blp.arguments(DocumentListQuerySchema, location="query")
    @blp.response(200, page_of(PrescriptionRecordSchema))
    def get(self, args):
        return list_documents(Prescription, args)

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
            raise NotFound(msg("A paper prescription is not on the national prescription system."),
                           field="prescription_id")
        now = utcnow()
        found = fetch_answer(db.session, prescription.national_code, fetch=erx_fetch(), now=now)
        store_lookup(db.session, found, store_id=prescription.store_id, actor=actor(), now=now)
        db.session.commit()
        return view_of(prescription)
