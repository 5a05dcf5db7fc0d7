"""Transfers between stores: dispatch from the source, receive at the destination, cancel while in transit."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields, validate
from sqlalchemy import or_, select

from ..clock import utcnow
from ..errors import NotFound, msg
from ..extensions import db
from ..schemas import Base, Id, Quantity, Text, WholeNumber
from ..stores.services import accessible_store_ids, get_store, require_store_access
from ..transfers.models import TRANSFER_STATUSES, Transfer
from ..transfers.services import cancel_transfer, dispatch_transfer, lock_transfer, receive_transfer
from .auth import actor
from .documents import AllocationSchema
from .pagination import PageArgsSchema, page_of, paginate
from .sales import ProductLineSchema

blp = Blueprint("transfers", __name__, url_prefix="/api/v1", description="Transfers between stores")
LOT = fields.String(required=True, validate=validate.Length(min=1, max=50))


class TransferLineInSchema(Base):
    product_id = Id(required=True)
    unit = Text(50, required=True)
    quantity = Quantity(required=True)
    lot = fields.String(validate=validate.Length(min=1, max=50),
                        metadata={"description": "Send only this lot; FEFO over unexpired lots when absent."})


class TransferInSchema(Base):
    from_store_id = Id(required=True)
    to_store_id = Id(required=True)
    note = Text(500, load_default="")
    lines = fields.List(fields.Nested(TransferLineInSchema), required=True, validate=validate.Length(min=1, max=200))


class ReceivedLineSchema(Base):
    transfer_line_id = Id(required=True)
    lot = LOT
    quantity = WholeNumber(required=True, validate=validate.Range(min=0, max=100_000),
                           metadata={"description": "What arrived of this lot, in the transfer line's unit."})
    unit = Text(50, metadata={"description": "Another unit of the product for `quantity` (e.g. the base unit when "
                                             "a lot holds part of a box); the line's unit when absent."})


class ReceiveInSchema(Base):
    lines = fields.List(fields.Nested(ReceivedLineSchema), required=True, validate=validate.Length(min=1, max=400),
                        metadata={"description": "What arrived per lot; a lot not listed did not arrive (0 says so)."})
    reason = Text(500, load_default="", metadata={"description": "Why less arrived (booked as a loss)."})


class TransferAllocationSchema(AllocationSchema):
    received_quantity = fields.Integer(allow_none=True)
    lost_quantity = fields.Integer()


class TransferLineSchema(ProductLineSchema):
    allocations = fields.List(fields.Nested(TransferAllocationSchema))


class TransferSchema(Base):
    id = fields.Integer()
    number = fields.String()
    status = fields.String()
    from_store_id = fields.Integer()
    from_store_name = fields.Function(lambda transfer: transfer.from_store.name)
    to_store_id = fields.Integer()
    to_store_name = fields.Function(lambda transfer: transfer.to_store.name)
    note = fields.String()
    discrepancy_reason = fields.String()
    user = fields.Function(lambda transfer: transfer.user.display_name)
    created_at = fields.DateTime()
    received_at = fields.DateTime(allow_none=True)
    received_by = fields.Function(lambda t: t.received_by.display_name if t.received_by else None, allow_none=True)
    cancelled_at = fields.DateTime(allow_none=True)
    lines = fields.List(fields.Nested(TransferLineSchema))


class TransferListQuerySchema(PageArgsSchema):
    store_id = Id(strict=False, metadata={"description": "Transfers from or to this store."})
    from_store_id = Id(strict=False)
    to_store_id = Id(strict=False)
    status = fields.String(validate=validate.OneOf(TRANSFER_STATUSES))


def transfers_query(args: dict):
    stmt = select(Transfer).order_by(Transfer.id.desc())
    for key, column in (("from_store_id", Transfer.from_store_id), ("to_store_id", Transfer.to_store_id)):
        if args.get(key):
            require_store_access(actor(), args[key], field=key)
            stmt = stmt.where(column == args[key])
    if args.get("store_id"):
        require_store_access(actor(), args["store_id"])
        stmt = stmt.where(or_(Transfer.from_store_id == args["store_id"], Transfer.to_store_id == args["store_id"]))
    store_ids = accessible_store_ids(actor())
    if store_ids is not None:
        stmt = stmt.where(or_(Transfer.from_store_id.in_(store_ids), Transfer.to_store_id.in_(store_ids)))
    if args.get("status"):
        stmt = stmt.where(Transfer.status == args["status"])
    return stmt


def _visible(transfer: Transfer | None, transfer_id: int) -> Transfer:
    """A transfer the caller may see (either end), else 404 (never 403, so other stores' numbers do not leak)."""
    me = actor()
    if transfer is None or not any(me.can_access_store(s) for s in (transfer.from_store_id, transfer.to_store_id)):
        raise NotFound(msg("Transfer #%(id)s not found.", id=transfer_id), field="transfer_id")
    return transfer


@blp.route("/transfers")
class Transfers(MethodView):
    @blp.arguments(TransferListQuerySchema, location="query")
    @blp.response(200, page_of(TransferSchema))
    def get(self, args):
        """Transfers from or to the caller's stores, newest first."""
        return paginate(db.session, transfers_query(args), args)

    @blp.arguments(TransferInSchema)
    @blp.response(201, TransferSchema)
    def post(self, data):
        """Dispatch: stock leaves the source now (FEFO unless a lot is named); status `in_transit`."""
        source = get_store(db.session, data.pop("from_store_id"), field="from_store_id")
        destination = get_store(db.session, data.pop("to_store_id"), field="to_store_id")
        transfer = dispatch_transfer(db.session, source=source, destination=destination, actor=actor(), now=utcnow(),
                                     **data)
        db.session.commit()
        return transfer


@blp.route("/transfers/<int:transfer_id>")
class TransferItem(MethodView):
    @blp.response(200, TransferSchema)
    def get(self, transfer_id):
        return _visible(db.session.get(Transfer, transfer_id), transfer_id)


@blp.route("/transfers/<int:transfer_id>/receive")
class TransferReceive(MethodView):
    @blp.arguments(ReceiveInSchema)
    @blp.response(200, TransferSchema)
    def post(self, data, transfer_id):
        """Receive at the destination: `received`, or `received_with_discrepancy` when less arrived."""
        transfer = _visible(lock_transfer(db.session, transfer_id), transfer_id)
        receive_transfer(db.session, transfer, actor=actor(), now=utcnow(), **data)
        db.session.commit()
        return transfer


@blp.route("/transfers/<int:transfer_id>/cancel")
class TransferCancel(MethodView):
    @blp.response(200, TransferSchema)
    def post(self, transfer_id):
        """Cancel while in transit: the stock goes back to the source lots."""
        transfer = _visible(lock_transfer(db.session, transfer_id), transfer_id)
        cancel_transfer(db.session, transfer, actor=actor(), now=utcnow())
        db.session.commit()
        return transfer
