"""Stock counts: open (snapshot of the expected quantities), count lots, submit (variance), approve (owner), cancel."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import ValidationError, fields, validate, validates_schema

from ..clock import utcnow
from ..counts.models import COUNT_STATUSES, COUNTING, SCOPES, StockCount
from ..counts.services import approve_count, cancel_count, record_counts, start_count, submit_count, variance_rows
from ..errors import msg
from ..extensions import db
from ..schemas import Base, Id, Text, WholeNumber
from .auth import actor
from .documents import DocumentListQuerySchema, document_for, list_documents, store_for_write
from .pagination import page_of

blp = Blueprint("stock_counts", __name__, url_prefix="/api/v1", description="Stock counts")


class CountInSchema(Base):
    store_id = Id(required=True)
    scope = fields.String(required=True, validate=validate.OneOf(SCOPES))
    product_ids = fields.List(Id(), validate=validate.Length(min=1, max=500))
    blind = fields.Boolean(load_default=False, metadata={"description": "Hide expected quantities from the counter."})

    @validates_schema
    def _products_for_scope(self, data, **kwargs):
        if data.get("scope") == "products" and not data.get("product_ids"):
            raise ValidationError(str(msg("A count by products needs the list of products.")), "product_ids")


class CountedLineSchema(Base):
    product_id = Id(required=True)
    lot = fields.String(required=True, validate=validate.Regexp(
        r"^[\x21-\x7e]{1,50}$", error=str(msg("A lot number has 1–50 characters, without accents or spaces."))))
    expiry = fields.Date(metadata={"description": "Needed for a lot the system does not know."})
    unit = Text(50, required=True)
    quantity = WholeNumber(required=True, validate=validate.Range(min=0, max=10_000_000))


class CountedInSchema(Base):
    lines = fields.List(fields.Nested(CountedLineSchema), required=True, validate=validate.Length(min=1, max=500))


def _hidden(count_line) -> bool:
    """A blind count hides the expected quantities from the counter (not from an owner) while counting."""
    count = db.session.get(StockCount, count_line.count_id)
    return count.blind and count.status == COUNTING and not actor().is_owner


class CountLineSchema(Base):
    id = fields.Integer()
    product_id = fields.Integer()
    product_name = fields.Function(lambda line: line.product.name)
    base_unit = fields.Function(lambda line: line.product.base_unit.name)
    lot = fields.String()
    expiry = fields.Date()
    expected = fields.Function(lambda line: None if _hidden(line) else line.expected, allow_none=True)
    counted = fields.Integer(allow_none=True)
    variance = fields.Function(lambda line: None if _hidden(line) else line.variance, allow_none=True)
    variance_value = fields.Function(lambda line: None if _hidden(line) else line.variance_value, allow_none=True)
    adjusted = fields.Integer(allow_none=True)


class StockCountSchema(Base):
    id = fields.Integer()
    number = fields.String()
    store_id = fields.Integer()
    status = fields.String()
    scope = fields.String()
    blind = fields.Boolean()
    created_at = fields.DateTime()
    submitted_at = fields.DateTime(allow_none=True)
    approved_at = fields.DateTime(allow_none=True)
    lines = fields.List(fields.Nested(CountLineSchema))
    variances = fields.Function(
        lambda count: [] if count.status == COUNTING else CountLineSchema(many=True).dump(variance_rows(count)),
        metadata={"description": "Lots with a variance, largest value at cost first (once submitted)."})


class CountListQuerySchema(DocumentListQuerySchema):
    status = fields.String(validate=validate.OneOf(COUNT_STATUSES))


def _count(count_id: int) -> StockCount:
    return document_for(StockCount, count_id, msg("stock count"), field="count_id")


@blp.route("/stock-counts")
class StockCounts(MethodView):
    @blp.arguments(CountListQuerySchema, location="query")
    @blp.response(200, page_of(StockCountSchema))
    def get(self, args):
        status = args.pop("status", None)
        extra = [StockCount.status == status] if status else []
        return list_documents(StockCount, args, *extra)

    @blp.arguments(CountInSchema)
    @blp.response(201, StockCountSchema)
    def post(self, data):
        """Open a count: the expected quantity of every lot in scope is taken now."""
        store = store_for_write(data.pop("store_id"))
        count = start_count(db.session, store=store, actor=actor(), now=utcnow(), **data)
        db.session.commit()
        return count


@blp.route("/stock-counts/<int:count_id>")
class StockCountItem(MethodView):
    @blp.response(200, StockCountSchema)
    def get(self, count_id):
        return _count(count_id)


@blp.route("/stock-counts/<int:count_id>/lines")
class StockCountLines(MethodView):
    @blp.arguments(CountedInSchema)
    @blp.response(200, StockCountSchema)
    def put(self, data, count_id):
        """Set counted quantities per lot (repeatable); a lot unknown to the system needs its expiry."""
        count = record_counts(db.session, _count(count_id), lines=data["lines"], actor=actor())
        db.session.commit()
        return count


def _action(name: str, run):
    def post(self, count_id):
        count = run(_count(count_id))
        db.session.commit()
        return count

    post.__doc__ = name
    return post


@blp.route("/stock-counts/<int:count_id>/submit")
class StockCountSubmit(MethodView):
    post = blp.response(200, StockCountSchema)(_action(
        "Close the counting: lots not counted count as none; the variance per lot is fixed.",
        lambda count: submit_count(db.session, count, actor=actor(), now=utcnow())))


@blp.route("/stock-counts/<int:count_id>/approve")
class StockCountApprove(MethodView):
    post = blp.response(200, StockCountSchema)(_action(
        "Owner: book the variances as adjustment movements and report the count (v2 stock-taking).",
        lambda count: approve_count(db.session, count, actor=actor(), now=utcnow())))


@blp.route("/stock-counts/<int:count_id>/cancel")
class StockCountCancel(MethodView):
    post = blp.response(200, StockCountSchema)(_action(
        "Cancel a count not yet approved; nothing changes in stock.",
        lambda count: cancel_count(db.session, count, actor=actor())))
