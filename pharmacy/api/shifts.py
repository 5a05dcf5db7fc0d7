"""Cash shifts: open with a float, cash in/out of the drawer, close with the counted cash; the shift report."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields, validate

from ..clock import utcnow
from ..extensions import db
from ..schemas import Base, Id, Money, Text
from ..shifts.models import CASH_MOVEMENT_KINDS, CashMovement
from ..shifts.services import (
    add_cash_movement,
    close_shift,
    get_shift,
    open_shift,
    report_figures,
    shifts_query,
)
from ..stores.services import require_store_access
from .auth import actor
from .documents import store_for_write
from .idempotency import IDEMPOTENCY_HEADER, idempotent
from .pagination import PageArgsSchema, page_of, paginate

blp = Blueprint("shifts", __name__, url_prefix="/api/v1", description="Cash shifts")


class ShiftInSchema(Base):
    store_id = Id(required=True)
    opening_cash = Money(required=True, metadata={"description": "the float in the drawer, VND"})


class ShiftCloseSchema(Base):
    counted_cash = Money(required=True, metadata={"description": "the cash counted in the drawer, VND"})
    note = Text(500, load_default="", metadata={"description": "required when counted differs from expected"})


class CashMovementInSchema(Base):
    shift_id = Id(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(CASH_MOVEMENT_KINDS))
    amount = Money(required=True)
    reason = Text(500, required=True)


class ShiftListQuerySchema(PageArgsSchema):
    store_id = Id(strict=False)
    status = fields.String(validate=validate.OneOf(("open", "closed")))


class MethodFiguresSchema(Base):
    sales_count = fields.Integer()
    sales = fields.Integer()
    refunds_count = fields.Integer()
    refunds = fields.Integer()
    net = fields.Integer()


class CashMovementSchema(Base):
    id = fields.Integer()
    shift_id = fields.Integer()
    kind = fields.String()
    amount = fields.Integer()
    reason = fields.String()
    user = fields.Function(lambda movement: movement.user.display_name)
    created_at = fields.DateTime()


class ShiftSchema(Base):
    id = fields.Integer()
    store_id = fields.Integer()
    user_id = fields.Integer()
    user = fields.Function(lambda shift: shift.user.display_name)
    status = fields.String()
    opening_cash = fields.Integer()
    opened_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)
    expected_cash = fields.Integer(allow_none=True, metadata={"description": "kept at close"})
    counted_cash = fields.Integer(allow_none=True)
    difference = fields.Integer(allow_none=True, metadata={"description": "counted − expected"})
    note = fields.String()


class ShiftReportSchema(ShiftSchema):
    """The shift with its figures: at close as they stood then, while open as they stand now."""

    expected_cash = fields.Integer()
    cash_in = fields.Integer()
    cash_out = fields.Integer()
    by_payment_method = fields.Dict(keys=fields.String(), values=fields.Nested(MethodFiguresSchema))
    discounts = fields.Integer(metadata={"description": "VND off the shift's sales (their totals are net)"})
    discounted_sales = fields.Integer()
    movements = fields.List(fields.Nested(CashMovementSchema))


class _Report(dict):
    """The shift's fields and its figures, readable by attribute like the model (`report.user.display_name`)."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def shift_report(shift) -> _Report:
    figures = report_figures(db.session, shift, now=utcnow())
    fields_ = {name: getattr(shift, name) for name in ShiftSchema._declared_fields}
    return _Report(fields_, **figures.as_dict(), movements=shift.movements, user=shift.user)


@blp.route("/shifts")
class Shifts(MethodView):
    @blp.arguments(ShiftListQuerySchema, location="query")
    @blp.response(200, page_of(ShiftSchema))
    def get(self, args):
        """Shifts, newest first: a pharmacist's own, an owner's every one."""
        if args.get("store_id"):
            require_store_access(actor(), args["store_id"])
        stmt = shifts_query(actor(), store_id=args.get("store_id"), status=args.get("status"))
        return paginate(db.session, stmt, args)

    @blp.arguments(ShiftInSchema)
    @blp.response(201, ShiftSchema)
    def post(self, data):
        """Open a shift at a store with the float in the drawer (one open shift per user and store)."""
        store = store_for_write(data["store_id"])
        shift = open_shift(db.session, store=store, opening_cash=data["opening_cash"], actor=actor(), now=utcnow())
        db.session.commit()
        return shift


@blp.route("/shifts/<int:shift_id>")
class ShiftItem(MethodView):
    @blp.response(200, ShiftReportSchema)
    def get(self, shift_id):
        """The shift report: sales and refunds by payment method, cash in/out, the cash the drawer should hold."""
        return shift_report(get_shift(db.session, shift_id, actor()))


@blp.route("/shifts/<int:shift_id>/close")
class ShiftClose(MethodView):
    @blp.arguments(ShiftCloseSchema)
    @blp.response(200, ShiftReportSchema)
    def post(self, data, shift_id):
        """Close with the counted cash: expected, counted, difference (a note is required when they differ)."""
        shift = get_shift(db.session, shift_id, actor())
        close_shift(db.session, shift=shift, actor=actor(), now=utcnow(), **data)
        db.session.commit()
        return shift_report(shift)


@blp.route("/cash-movements")
class CashMovements(MethodView):
    @blp.arguments(CashMovementInSchema)
    @blp.response(201, CashMovementSchema)
    @blp.doc(parameters=[IDEMPOTENCY_HEADER])
    @idempotent(CashMovement)
    def post(self, data):
        """Put cash into (`in`) or take it out of (`out`) an open shift's drawer, with a reason."""
        shift = get_shift(db.session, data.pop("shift_id"), actor())
        return add_cash_movement(db.session, shift=shift, actor=actor(), now=utcnow(), **data)
