"""The audit trail (owner only) and the verification of the tamper-evident journal."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields

from ..audit.queries import audit_query
from ..audit.verification import last_verification
from ..audit_trail import verify_journal
from ..errors import NotFound, msg
from ..extensions import db
from ..presenters.messages import verification_text
from ..schemas import Base, Text
from ..stores.services import require_owner
from .auth import actor
from .documents import DaysQuerySchema
from .pagination import page_of, paginate

blp = Blueprint("audit", __name__, url_prefix="/api/v1", description="Audit trail and tamper-evident journal")


class AuditQuerySchema(DaysQuerySchema):
    entity = Text(50, metadata={"description": "table or document kind: products, stores, users, sale, receipt…"})
    user = Text(100, metadata={"description": "user name or id"})


class AuditEntrySchema(Base):
    id = fields.Integer()
    at = fields.DateTime()
    user_id = fields.Integer(allow_none=True)
    username = fields.String()
    source = fields.String(metadata={"description": "client IP, or cli"})
    action = fields.String(metadata={"description": "method and path, or the console command"})
    entity = fields.String()
    entity_id = fields.String()
    label = fields.String(metadata={"description": "the document number, when the entry is a document"})
    operation = fields.String(metadata={"description": "create | update | delete | write"})
    changes = fields.Dict(allow_none=True, metadata={"description": "field: [before, after]"})


class VerificationSchema(Base):
    at = fields.DateTime()
    ok = fields.Boolean()
    entries = fields.Integer()
    message = fields.Function(verification_text, metadata={
        "description": "what was found, in the UI language (empty findings: the chains are intact)"})


@blp.route("/audit")
class AuditTrail(MethodView):
    @blp.arguments(AuditQuerySchema, location="query")
    @blp.response(200, page_of(AuditEntrySchema))
    def get(self, args):
        """Who wrote what, when and from where (owner), newest first."""
        require_owner(actor())
        stmt = audit_query(entity=args.get("entity"), user=args.get("user"), date_from=args.get("date_from"),
                           date_to=args.get("date_to"))
        return paginate(db.session, stmt, args)


@blp.route("/audit/verification")
class Verification(MethodView):
    @blp.response(200, VerificationSchema)
    def get(self):
        """The last verification of the chains (owner); 404 before the first."""
        require_owner(actor())
        run = last_verification(db.session)
        if run is None:
            raise NotFound(msg("The journal has not been verified yet."), field="verification")
        return run

    @blp.response(201, VerificationSchema)
    def post(self):
        """Verify every chain now (owner), as `flask audit verify` does."""
        require_owner(actor())
        _reports, run = verify_journal()
        return run
