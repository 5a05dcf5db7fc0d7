"""Goods issues: stock sent back to a supplier or destroyed, lot by lot."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields, validate

from ..clock import utcnow
from ..errors import msg
from ..extensions import db
from ..issues.models import ISSUE_KINDS, GoodsIssue
from ..issues.services import record_issue
from ..schemas import Base, Id, Quantity, Text
from ..stock.models import STOCK_STATES
from .auth import actor
from .documents import DocumentListQuerySchema, document_for, list_documents, store_for_write
from .pagination import page_of
from .sales import ProductLineSchema

blp = Blueprint("issues", __name__, url_prefix="/api/v1", description="Goods issues")


class IssueLineInSchema(Base):
    product_id = Id(required=True)
    unit = Text(50, required=True)
    quantity = Quantity(required=True)
    lot = fields.String(required=True, validate=validate.Length(min=1, max=50))
    expiry = fields.Date(metadata={"description": "Only needed when one lot number has two expiry dates."})
    state = fields.String(validate=validate.OneOf(STOCK_STATES), metadata={
        "description": "Only this state's units of the lot; by default quarantined units go first."})


class IssueInSchema(Base):
    store_id = Id(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(ISSUE_KINDS))
    receiver_name = Text(500, load_default="")
    note = Text(500, required=True, metadata={"description": "The reason (required by the national report)."})
    lines = fields.List(fields.Nested(IssueLineInSchema), required=True, validate=validate.Length(min=1, max=200))


class IssueLineSchema(ProductLineSchema):
    base_quantity = fields.Integer()
    lot = fields.String()
    expiry = fields.Date()
    unit_cost = fields.Integer()


class GoodsIssueSchema(Base):
    id = fields.Integer()
    number = fields.String()
    store_id = fields.Integer()
    kind = fields.String()
    receiver_name = fields.String()
    note = fields.String()
    user = fields.Function(lambda issue: issue.user.display_name)
    created_at = fields.DateTime()
    lines = fields.List(fields.Nested(IssueLineSchema))


@blp.route("/issues")
class Issues(MethodView):
    @blp.arguments(DocumentListQuerySchema, location="query")
    @blp.response(200, page_of(GoodsIssueSchema))
    def get(self, args):
        return list_documents(GoodsIssue, args)

    @blp.arguments(IssueInSchema)
    @blp.response(201, GoodsIssueSchema)
    def post(self, data):
        """Issue named lots (expired ones too: that is the usual destruction); never more than on hand."""
        store = store_for_write(data.pop("store_id"))
        issue = record_issue(db.session, store=store, actor=actor(), now=utcnow(), **data)
        db.session.commit()
        return issue


@blp.route("/issues/<int:issue_id>")
class IssueItem(MethodView):
    @blp.response(200, GoodsIssueSchema)
    def get(self, issue_id):
        return document_for(GoodsIssue, issue_id, msg("goods issue"))
