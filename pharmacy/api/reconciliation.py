"""End-of-day reconciliation of a store: sales against e-invoices, national documents against confirmations."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from ..clock import checked_day
from ..einvoices.reconciliation import reconcile
from ..extensions import db
from ..presenters.reconciliation import ReconciliationQuery, ReconciliationSchema
from ..stores.services import get_store, require_store_access
from .auth import actor

blp = Blueprint("reconciliation", __name__, url_prefix="/api/v1", description="End-of-day reconciliation")


@blp.route("/reconciliation")
class Reconciliation(MethodView):
    @blp.arguments(ReconciliationQuery, location="query")
    @blp.response(200, ReconciliationSchema)
    def get(self, args):
        """The day's sales vs e-invoices issued (count, amounts by VAT rate) and national documents vs confirmed."""
        require_store_access(actor(), args["store_id"])
        day = checked_day(args["date"], field="date")
        return reconcile(db.session, get_store(db.session, args["store_id"]), day)
