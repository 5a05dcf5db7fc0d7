"""GET /api/v1/scan: what a scanned or typed string is (product, unit, lot, expiry) or the products it finds."""
from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields, validate

from ..clock import local_today
from ..errors import Invalid, NotFound, msg
from ..extensions import db
from ..recalls.services import recall_block, recall_message
from ..scanning.parse import ScanError
from ..scanning.resolve import Resolution, resolve_scan
from ..schemas import Base, Id
from ..stores.services import require_store_access
from .auth import actor
from .products import ProductSchema

blp = Blueprint("scan", __name__, url_prefix="/api/v1", description="Scan box")


class ScanQuerySchema(Base):
    code = fields.String(required=True, validate=validate.Length(min=1, max=500))
    store_id = Id(strict=False)


class LotCandidateSchema(Base):
    lot = fields.String(allow_none=True)
    expiry = fields.Date(allow_none=True)
    serial = fields.String(allow_none=True)


class KnownLotSchema(Base):
    lot = fields.String()
    expiry = fields.Date()
    quantity = fields.Integer()
    expired = fields.Boolean()
    near_expiry = fields.Boolean()


class ScanSchema(Base):
    status = fields.String(metadata={"description": "product | search"})
    kind = fields.Function(lambda r: r.scan.kind, metadata={"description": "gtin, gs1, digital_link, internal, text"})
    symbology = fields.Function(lambda r: r.scan.symbology)
    gtin = fields.Function(lambda r: r.scan.gtin)
    product = fields.Nested(ProductSchema, allow_none=True)
    unit = fields.Function(lambda r: r.unit.name if r.unit else None)
    lot = fields.String(allow_none=True)
    expiry = fields.Date(allow_none=True)
    serial = fields.String(allow_none=True)
    lot_known = fields.Boolean()
    needs_lot_confirmation = fields.Boolean(metadata={"description": "the lot is ambiguous: ask the pharmacist"})
    lot_candidates = fields.List(fields.Nested(LotCandidateSchema))
    known_lots = fields.List(fields.Nested(KnownLotSchema))
    results = fields.List(fields.Nested(ProductSchema))
    warnings = fields.Function(lambda r: [str(w) for w in r.scan.warnings])


def scan_separators() -> tuple[str, ...]:
    """GS plus the printable substitute the shop's scanners are set to send (SCAN_SEPARATORS)."""
    return tuple(dict.fromkeys("\x1d" + (current_app.config.get("SCAN_SEPARATORS") or "")))


# Why a scan was refused, for a person; the parser's technical detail ("Expected 2, got 1") is only logged.
SCAN_ERRORS = {
    ScanError.EMPTY: msg("Nothing was scanned."),
    ScanError.CHECK_DIGIT: msg("Wrong barcode check digit: scan again or type the code."),
    ScanError.LOT_TOO_LONG: msg("The lot number in the code is too long."),
    ScanError.SERIAL_TOO_LONG: msg("The serial number in the code is too long."),
    ScanError.BAD_DATE: msg("The code holds a date that does not exist."),
    ScanError.GS1_SYNTAX: msg("The GS1 code cannot be read: scan again or type the code."),
    ScanError.DIGITAL_LINK: msg("The GS1 Digital Link cannot be read: scan again or type the code."),
}


def resolve_for_request(code: str, store_id: int | None) -> Resolution:
    """Resolve with the app's settings; refuse unreadable scans (422) and unknown codes (404)."""
    if store_id:
        require_store_access(actor(), store_id)
    resolution = resolve_scan(
        db.session, code, store_id=store_id, today=local_today(),
        near_expiry_days=current_app.config["NEAR_EXPIRY_DAYS"], separators=scan_separators(),
    )
    scan = resolution.scan
    if resolution.status == "invalid":
        raise Invalid(SCAN_ERRORS.get(scan.error) or msg("The scanned code cannot be read."), field="code",
                      reason=str(scan.error), detail=scan.error_detail)
    if resolution.status == "not_found":
        raise NotFound(msg("No product has the code %(code)s.", code=scan.gtin or scan.internal_code or code),
                       field="code",
                       reason="unknown_code", gtin=scan.gtin, lot=scan.lot,
                       expiry=scan.expiry.isoformat() if scan.expiry else None)
    if resolution.product is not None and resolution.lot:
        recall = recall_block(db.session, resolution.product.id, resolution.lot)
        if recall is not None:
            raise Invalid(recall_message(recall, resolution.lot), field="code", reason="recalled",
                          gtin=scan.gtin, lot=resolution.lot, decision_number=recall.decision_number,
                          expiry=resolution.expiry.isoformat() if resolution.expiry else None)
    return resolution


@blp.route("/scan")
class Scan(MethodView):
    @blp.arguments(ScanQuerySchema, location="query")
    @blp.response(200, ScanSchema)
    def get(self, args):
        """Resolve a scanned string (EAN-13, GTIN-14, GS1 element string, Digital Link, in-house code) or search
        text."""
        return resolve_for_request(args["code"], args.get("store_id"))
