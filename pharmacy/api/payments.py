"""Bank transfers: the bank feed's webhook (SePay-style) and the reconciliation list of what it could not settle."""
from __future__ import annotations

import hmac

from flask import current_app, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import EXCLUDE, fields, validate
from sqlalchemy import select

from connectors.sync.lanes.prescriptions.clients import report_targets

from ..clock import utcnow
from ..errors import msg
from ..extensions import db
from ..payments.models import TO_RECONCILE, BankNotification
from ..payments.transfers import receive_notification
from ..schemas import MAX_PRICE, Base, WholeNumber
from ..stores.services import accessible_store_ids
from .auth import Unauthorized, actor
from .pagination import PageArgsSchema, page_of, paginate

blp = Blueprint("payments", __name__, url_prefix="/api/v1/payments", description="Bank transfers")


class BankNotificationInSchema(Base):
    """The feed's body; fields it adds later are ignored."""

    class Meta:
        unknown = EXCLUDE

    id = fields.Raw(required=True, validate=lambda v: isinstance(v, (int, str)) and not isinstance(v, bool)
                    and 0 < len(str(v)) <= 100)
    gateway = fields.String(validate=validate.Length(max=100), allow_none=True)
    transactionDate = fields.String(validate=validate.Length(max=40), allow_none=True)  # noqa: N815 - the feed's
    accountNumber = fields.String(validate=validate.Length(max=50), allow_none=True)  # noqa: N815
    content = fields.String(validate=validate.Length(max=2000), allow_none=True)
    transferType = fields.String(validate=validate.OneOf(("in", "out")), load_default="in")  # noqa: N815
    transferAmount = WholeNumber(required=True, validate=validate.Range(min=0, max=MAX_PRICE * 100))  # noqa: N815
    referenceCode = fields.String(validate=validate.Length(max=100), allow_none=True)  # noqa: N815


class AcknowledgementSchema(Base):
    success = fields.Boolean()


class BankNotificationSchema(Base):
    id = fields.Integer()
    notification_id = fields.String()
    gateway = fields.String()
    account_number = fields.String()
    content = fields.String()
    amount = fields.Integer()
    expected_amount = fields.Integer(allow_none=True)
    memo = fields.String(allow_none=True)
    sale_id = fields.Integer(allow_none=True)
    store_id = fields.Integer(allow_none=True)
    outcome = fields.String(metadata={"description": "wrong_amount | unknown_memo | late (paid on the list too "
                                                     "with outcome=paid)"})
    transaction_date = fields.String()
    received_at = fields.DateTime()


class ReconciliationQuerySchema(PageArgsSchema):
    outcome = fields.String(validate=validate.OneOf(TO_RECONCILE + ("paid",)))


@blp.before_request
def _check_key() -> None:
    """The webhook's key is checked before its body is read: a wrong key never learns what the body lacks."""
    if request.endpoint != "payments.BankNotifications":
        return
    key = current_app.config.get("BANK_WEBHOOK_KEY")
    if not key:  # refused like a wrong key (a 4xx): the feed shows it to whoever set it up
        raise Unauthorized(msg("The server has no BANK_WEBHOOK_KEY: bank notifications are not accepted."),
                           field="Authorization")
    header = request.headers.get("Authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "apikey" or not hmac.compare_digest(given.strip().encode(), key.encode()):
        raise Unauthorized(msg("The bank's API key is wrong."), field="Authorization")


@blp.route("/bank-notifications")
class BankNotifications(MethodView):
    @blp.arguments(BankNotificationInSchema)
    @blp.response(200, AcknowledgementSchema)
    def post(self, data):
        """A bank feed's transfer: the memo and amount settle a sale awaiting payment; the same id twice is
        acknowledged once; anything unmatched goes to the reconciliation list. Auth: `Apikey <BANK_WEBHOOK_KEY>`."""
        receive_notification(db.session, data, now=utcnow(), prescription_targets=report_targets(current_app.config))
        db.session.commit()
        return {"success": True}


@blp.route("/reconciliation")
class Reconciliation(MethodView):
    @blp.arguments(ReconciliationQuerySchema, location="query")
    @blp.response(200, page_of(BankNotificationSchema))
    def get(self, args):
        """Transfers the feed could not settle (wrong amount, unknown memo, late), newest first; an owner sees
        unknown memos too, a pharmacist those of their stores."""
        stmt = select(BankNotification).where(
            BankNotification.outcome.in_((args["outcome"],) if "outcome" in args else TO_RECONCILE))
        store_ids = accessible_store_ids(actor())
        if store_ids is not None:
            stmt = stmt.where(BankNotification.store_id.in_(store_ids))
        return paginate(db.session, stmt.order_by(BankNotification.id.desc()), args)


