"""The national sync: outbox messages with attempts, retry one, send now, and a summary per store."""
from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields, validate

from connectors.sync.scheduler import wake
from connectors.sync.verify import resend_if_absent

from ..clock import utcnow
from ..extensions import db
from ..outbox import queries, services
from ..outbox.models import STATUSES
from ..presenters.sync import present
from ..schemas import Base, Id, Text
from ..stores.services import accessible_store_ids, require_store_access
from .auth import actor
from .pagination import PageArgsSchema, page_body, page_of

blp = Blueprint("sync", __name__, url_prefix="/api/v1/sync", description="National drug database sync")


class MessageQuerySchema(PageArgsSchema):
    status = fields.String(validate=validate.OneOf(STATUSES))
    store_id = Id(strict=False)


class AttemptSchema(Base):
    started_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)
    http_status = fields.Integer(allow_none=True)
    outcome = fields.String()
    response_excerpt = fields.String(allow_none=True)
    remote_id = fields.String(allow_none=True)
    worker = fields.String(allow_none=True)


class NoticeSchema(Base):
    code = fields.String(metadata={"description": "stable id of the sentence (e.g. lane_not_configured)"})
    params = fields.Dict()
    text = fields.String(metadata={"description": "the sentence in the UI language"})
    url = fields.String(allow_none=True, metadata={"description": "where to fix it (store settings, product page)"})
    link_text = fields.String(allow_none=True)


class MessageSchema(Base):
    id = fields.Integer()
    store_id = fields.Integer()
    kind = fields.String()
    document_type = fields.String()
    document_id = fields.Integer()
    document_number = fields.String()
    status = fields.String()
    attempts = fields.Integer()
    next_attempt_at = fields.DateTime()
    outcome_unknown = fields.Boolean()
    last_error = fields.String(allow_none=True)
    problems = fields.List(fields.Dict(), allow_none=True)
    remote_id = fields.String(allow_none=True)
    sent_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    attempt_log = fields.List(fields.Nested(AttemptSchema), data_key="attempt_log")
    notices = fields.Function(present, metadata={"description": "why it is where it is, as sentences"})


class StoreSummarySchema(Base):
    store_id = fields.Integer()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    oldest_pending_seconds = fields.Integer(allow_none=True)


class ResolveSchema(Base):
    resolution = fields.String(required=True, validate=validate.OneOf(services.RESOLUTIONS))
    remote_id = Text(100)


class RunSchema(Base):
    made_due = fields.Integer()
    woken = fields.Boolean()


def _store_ids() -> list[int] | None:
    return accessible_store_ids(actor())


@blp.route("/messages")
class Messages(MethodView):
    @blp.arguments(MessageQuerySchema, location="query")
    @blp.response(200, page_of(MessageSchema))
    def get(self, args):
        """Outbox messages, newest first, each with its attempts, last error, problems and national id."""
        if args.get("store_id"):
            require_store_access(actor(), args["store_id"])
        items, total = queries.list_messages(db.session, _store_ids(), status=args.get("status"),
                                              store_id=args.get("store_id"), page=args["page"],
                                              per_page=args["per_page"])
        return page_body(items, total, args)


@blp.route("/messages/<int:message_id>/retry")
class Retry(MethodView):
    @blp.response(200, MessageSchema)
    def post(self, message_id):
        """Send a rejected or held message again (409 in any other state)."""
        message = services.retry_message(db.session, queries.get_message(db.session, message_id, _store_ids()),
                                         utcnow())
        db.session.commit()
        wake_scheduler()
        return message


@blp.route("/messages/<int:message_id>/resend-lost")
class ResendLost(MethodView):
    @blp.response(200, MessageSchema)
    def post(self, message_id):
        """Send again a message recorded as sent that the national side no longer has (the end-of-day
        reconciliation's "absent"): the national side is asked again first; 409 if it has the document, cannot
        answer, or the message is not `sent`."""
        message = resend_if_absent(db.session, queries.get_message(db.session, message_id, _store_ids()),
                                   settings=current_app.config, vault=current_app.extensions["pharmacy.vault"](),
                                   actor=actor().username, now=utcnow())
        db.session.commit()
        wake_scheduler()
        return message


@blp.route("/messages/<int:message_id>/resolve")
class Resolve(MethodView):
    @blp.arguments(ResolveSchema)
    @blp.response(200, MessageSchema)
    def post(self, data, message_id):
        """Answer for a v2 submission whose outcome is unknown: `sent` (found on the national portal, optionally
        with its transaction id, which is then followed) or `resend` (not there). 409 in any other state."""
        message = queries.get_message(db.session, message_id, _store_ids())
        services.resolve_uncertain(db.session, message, resolution=data["resolution"],
                                      remote_id=data.get("remote_id"), actor=actor().username, now=utcnow())
        db.session.commit()
        wake_scheduler()
        return message


@blp.route("/run")
class Run(MethodView):
    @blp.response(202, RunSchema)
    def post(self):
        """Send now: waiting messages become due at once; the scheduler sends them (never this request)."""
        made_due = services.send_now(db.session, _store_ids(), utcnow())
        db.session.commit()
        return {"made_due": made_due, "woken": wake_scheduler()}


@blp.route("/summary")
class Summary(MethodView):
    @blp.response(200, StoreSummarySchema(many=True))
    def get(self):
        """Counts per status per store, and the age of the oldest waiting message."""
        return queries.summary(db.session, _store_ids(), utcnow())


def wake_scheduler() -> bool:
    from flask import current_app

    return wake(current_app)
