"""The review of supplier price-list rows that matched nothing (owner): list, match to a product, dismiss."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields, validate

from ..clock import utcnow
from ..extensions import db
from ..schemas import Base, Id, Money, Text
from ..stores.services import require_owner
from ..suppliers.price_review import dismiss_row, match_row, review_query
from ..suppliers.services import get_supplier
from .auth import actor
from .pagination import PageArgsSchema, page_of, paginate

blp = Blueprint("supplier_prices", __name__, url_prefix="/api/v1", description="Supplier price-list review")

ROW_STATUSES = ("pending", "matched", "dismissed")


class ReviewRowQuerySchema(PageArgsSchema):
    supplier_id = Id(strict=False)
    status = fields.String(load_default="pending", validate=validate.OneOf(ROW_STATUSES))


class ReviewRowSchema(Base):
    id = fields.Integer()
    supplier_id = fields.Integer()
    supplier_name = fields.Function(lambda row: row.supplier.name)
    row = fields.Integer(metadata={"description": "its line in the imported sheet"})
    national_code = fields.String()
    registration_no = fields.String()
    barcode = fields.String()
    name = fields.String()
    unit = fields.String()
    price = fields.Integer(allow_none=True)
    reason = fields.String(metadata={"description": "no_product, ambiguous_registration_no, unit or price"})
    imported_at = fields.DateTime()
    status = fields.String()
    product_id = fields.Integer(allow_none=True, metadata={
        "description": "pending: the product its code found (its unit or price was the problem); matched: the one "
                       "chosen"})
    unit_name = fields.String(allow_none=True)
    reviewed_at = fields.DateTime(allow_none=True)


class MatchInSchema(Base):
    product_id = Id(required=True)
    unit = Text(50, required=True)
    unit_price = Money(allow_none=True, load_default=None, metadata={
        "description": "VND per unit; the row's price when absent"})


@blp.route("/supplier-price-rows")
class PriceRows(MethodView):
    @blp.arguments(ReviewRowQuerySchema, location="query")
    @blp.response(200, page_of(ReviewRowSchema))
    def get(self, args):
        """Rows of imported price lists that matched no product, oldest supplier first (owner)."""
        require_owner(actor())
        if args.get("supplier_id") is not None:
            get_supplier(db.session, args["supplier_id"])
        return paginate(db.session, review_query(supplier_id=args.get("supplier_id"), status=args["status"]), args)


@blp.route("/supplier-price-rows/<int:row_id>/match")
class MatchRow(MethodView):
    @blp.arguments(MatchInSchema)
    @blp.response(200, ReviewRowSchema)
    def post(self, data, row_id):
        """Match a pending row to a product and unit: the supplier's price for it is set (owner)."""
        require_owner(actor())
        row = match_row(db.session, row_id=row_id, actor=actor(), now=utcnow(), **data)
        db.session.commit()
        return row


@blp.route("/supplier-price-rows/<int:row_id>/dismiss")
class DismissRow(MethodView):
    @blp.response(200, ReviewRowSchema)
    def post(self, row_id):
        """Leave a pending row out: it sets no price (owner)."""
        require_owner(actor())
        row = dismiss_row(db.session, row_id=row_id, actor=actor(), now=utcnow())
        db.session.commit()
        return row
