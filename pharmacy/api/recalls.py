"""Recalls: decisions entered by hand or CSV (owner), their deadline, the stock and sales they touch, and the
return of the quarantined stock to the supplier."""
from __future__ import annotations

from flask import Response, request
from flask.views import MethodView
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_smorest import Blueprint
from marshmallow import ValidationError, fields, validate

from ..clock import utcnow
from ..errors import NotFound, msg
from ..extensions import db
from ..recalls.importer import decode_csv, import_recalls
from ..recalls.models import Recall
from ..recalls.returns import return_recalled_stock
from ..recalls.services import affected_sales, affected_stock, create_recall
from ..reports.export import Column, to_csv, to_xlsx
from ..schemas import Base, Id, Text
from ..stores.services import accessible_store_ids, require_owner
from .auth import actor
from .documents import store_for_write
from .issues import GoodsIssueSchema
from .pagination import PageArgsSchema, page_of, paginate

blp = Blueprint("recalls", __name__, url_prefix="/api/v1", description="Recalls")


class LotsField(fields.Field):
    """A list of lot numbers, or the string "all"."""

    def _deserialize(self, value, attr, data, **kwargs):
        if value == "all":
            return value
        if isinstance(value, list) and value and all(isinstance(v, str) and 0 < len(v.strip()) <= 50 for v in value):
            return value
        raise ValidationError(str(msg("A list of lot numbers (1–50 characters) or \"all\" is needed.")))

    def _serialize(self, value, attr, obj, **kwargs):
        return value


class RecallInSchema(Base):
    decision_number = Text(100, required=True)
    decision_date = fields.Date(required=True)
    level = fields.Integer(required=True, strict=True, validate=validate.OneOf((1, 2, 3)))
    registration_no = Text(50, load_default=None, allow_none=True)
    gtin = fields.String(load_default=None, allow_none=True, validate=validate.Regexp(r"^\d{8,14}$"))
    product_id = Id(load_default=None, allow_none=True)
    lots = LotsField(required=True, metadata={"description": 'lot numbers, or "all"'})
    reason = Text(500, required=True)
    source = Text(500, load_default="")


class RecallSchema(Base):
    id = fields.Integer()
    decision_number = fields.String()
    decision_date = fields.Date()
    level = fields.Integer()
    deadline = fields.Date(metadata={"description": "decision date + 3/15/30 days for levels 1/2/3"})
    registration_no = fields.String(allow_none=True)
    gtin = fields.String(allow_none=True)
    product_id = fields.Integer()
    product_name = fields.Function(lambda recall: recall.product.name)
    lots = LotsField()
    reason = fields.String()
    source = fields.String()
    created_at = fields.DateTime()


class AffectedStockSchema(Base):
    store_id = fields.Integer()
    product_id = fields.Integer()
    lot = fields.String()
    expiry = fields.Date()
    state = fields.String()
    quantity = fields.Integer(metadata={"description": "base units"})


class AffectedSaleSchema(Base):
    sale_id = fields.Integer()
    number = fields.String()
    store_id = fields.Integer()
    sold_at = fields.DateTime()
    customer_name = fields.String(allow_none=True)
    customer_phone = fields.String(allow_none=True)
    patient_name = fields.String(allow_none=True, metadata={"description": "the prescription's patient"})
    lot = fields.String()
    quantity = fields.Integer()


class RecallDetailSchema(RecallSchema):
    affected_stock = fields.List(fields.Nested(AffectedStockSchema))
    affected_sales = fields.List(fields.Nested(AffectedSaleSchema))


class RecallReturnInSchema(Base):
    store_id = Id(required=True)
    receiver_name = Text(500, required=True)


SALE_COLUMNS = [Column("number", _l("Invoice number")), Column("sold_at", _l("Time")),
                Column("store_id", _l("Store"), "int"), Column("customer_name", _l("Customer")),
                Column("customer_phone", _l("Phone")), Column("patient_name", _l("Patient (prescription)")),
                Column("lot", _l("Lot")), Column("quantity", _l("Quantity"), "int")]


def recall_for(recall_id: int) -> Recall:
    recall = db.session.get(Recall, recall_id)
    if recall is None:
        raise NotFound(msg("Recall decision #%(id)s not found.", id=recall_id), field="id")
    return recall


class RecallDetail:
    """The recall read as itself plus what it touches in the caller's stores."""

    def __init__(self, recall: Recall, stores: list[int] | None):
        self.recall = recall
        self.affected_stock = affected_stock(db.session, recall, stores)
        self.affected_sales = affected_sales(db.session, recall, stores)

    def __getattr__(self, name: str):
        return getattr(self.recall, name)


def detail(recall: Recall) -> RecallDetail:
    return RecallDetail(recall, accessible_store_ids(actor()))


@blp.route("/recalls")
class Recalls(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, page_of(RecallSchema))
    def get(self, args):
        """Recall decisions, newest decision first."""
        return paginate(db.session, db.select(Recall).order_by(Recall.decision_date.desc(), Recall.id.desc()), args)

    @blp.arguments(RecallInSchema)
    @blp.response(201, RecallDetailSchema)
    def post(self, data):
        """Enter a decision (owner): its lots are quarantined in every store in this request, and refused at the
        counter, in sales, receipts and transfers from now on."""
        require_owner(actor())
        recall = create_recall(db.session, data=data, actor=actor(), now=utcnow())
        db.session.commit()
        return detail(recall)


@blp.route("/recalls/import")
class RecallImport(MethodView):
    @blp.response(201, page_of(RecallSchema))
    def post(self):
        """CSV (UTF-8, header row) with the columns of POST /recalls; `lots` separated by `;`, or `all`. As the
        request body (text/csv) or an uploaded `file`."""
        require_owner(actor())
        upload = request.files.get("file")
        text = decode_csv(upload.read() if upload else request.get_data())
        recalls = import_recalls(db.session, text, actor=actor(), now=utcnow())
        db.session.commit()
        return {"items": recalls, "total": len(recalls), "page": 1, "per_page": max(len(recalls), 1)}


@blp.route("/recalls/<int:recall_id>")
class RecallItem(MethodView):
    @blp.response(200, RecallDetailSchema)
    def get(self, recall_id):
        """The decision with its deadline, the stock of its lots (per store and state) and the sales of them."""
        return detail(recall_for(recall_id))


@blp.route("/recalls/<int:recall_id>/sales.<any(csv, xlsx):fmt>")
class RecallSales(MethodView):
    def get(self, recall_id, fmt):
        """The sales of the recalled lots, to contact the customers (levels 1 and 2), as CSV or Excel."""
        recall = recall_for(recall_id)
        rows = [{**sale.__dict__, "sold_at": sale.sold_at.isoformat()}
                for sale in affected_sales(db.session, recall, accessible_store_ids(actor()))]
        name = f"thu-hoi-{recall.id}-khach-hang.{fmt}"
        if fmt == "csv":
            body, mimetype = to_csv(SALE_COLUMNS, rows, None), "text/csv; charset=utf-8"
        else:
            body = to_xlsx(_("Customers"), SALE_COLUMNS, rows, None)
            mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@blp.route("/recalls/<int:recall_id>/return")
class RecallReturn(MethodView):
    @blp.arguments(RecallReturnInSchema)
    @blp.response(201, GoodsIssueSchema)
    def post(self, data, recall_id):
        """Send the store's quarantined stock of the recall back to the supplier: a goods issue `recall_return`
        (legacy: phieu_xuat loai 2 with the recall in the note; v2: stock-out reason `recall`)."""
        recall = recall_for(recall_id)
        store = store_for_write(data["store_id"])
        issue = return_recalled_stock(db.session, recall, store=store, receiver_name=data["receiver_name"],
                                      actor=actor(), now=utcnow())
        db.session.commit()
        return issue
