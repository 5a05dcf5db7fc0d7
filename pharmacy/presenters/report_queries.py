"""Query and answer schemas of the owner's reports, and the columns of their Excel/CSV downloads."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, validate, validates_schema

from ..errors import msg
from ..reports.export import Column
from ..reports.sales import GROUPS
from ..schemas import Base, Id

FORMATS = ("json", "xlsx", "csv")
MAX_PER_PAGE = 200


class PagedQuery(Base):
    format = fields.String(load_default="json", validate=validate.OneOf(FORMATS))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_PER_PAGE))


class PeriodQuery(PagedQuery):
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)

    @validates_schema
    def _ordered(self, data, **kwargs):
        if "date_from" in data and "date_to" in data and data["date_to"] < data["date_from"]:
            raise ValidationError(msg("The end date is before the start date."), field_name="date_to")


class OverviewQuery(PeriodQuery):
    store_id = Id(strict=False)


def CategoryFilter():  # noqa: N802 - a field factory
    return Id(strict=False, metadata={"description": "only products of this category (nhóm hàng)"})


class SalesQuery(PeriodQuery):
    group_by = fields.String(required=True, validate=validate.OneOf(GROUPS))
    store_id = Id(strict=False)
    category_id = CategoryFilter()


class MovementsQuery(PeriodQuery):
    store_id = Id(strict=False, required=True)
    product_id = Id(strict=False)
    category_id = CategoryFilter()


class RebalancingQuery(PagedQuery):
    within_days = fields.Integer(load_default=90, validate=validate.Range(min=1, max=365))
    category_id = CategoryFilter()


class SlowMoversQuery(PagedQuery):
    days = fields.Integer(load_default=90, validate=validate.Range(min=1, max=3650))
    store_id = Id(strict=False)
    category_id = CategoryFilter()


class SlowMoverSchema(Base):
    store_id = fields.Integer()
    product_id = fields.Integer()
    product_name = fields.String()
    base_unit = fields.String()
    quantity = fields.Integer()
    stock_value = fields.Integer(allow_none=True)
    last_sold = fields.DateTime(allow_none=True)
    days_idle = fields.Integer(allow_none=True)


class MatrixQuery(PagedQuery):
    q = fields.String(validate=validate.Length(min=1, max=100))
    product_id = Id(strict=False)
    category_id = CategoryFilter()

    @validates_schema
    def _one_of(self, data, **kwargs):
        if not data.get("q") and not data.get("product_id") and not data.get("category_id"):
            raise ValidationError(msg("Give q (a product search), product_id or category_id."), field_name="q")


class SyncSchema(Base):
    pending = fields.Integer()
    held = fields.Integer()
    rejected = fields.Integer()
    oldest_pending_seconds = fields.Integer(allow_none=True)


class FiguresSchema(Base):
    revenue = fields.Integer()
    sales_count = fields.Integer()
    average_basket = fields.Integer()
    cost = fields.Integer(allow_none=True)
    gross_margin = fields.Integer(allow_none=True)
    stock_value = fields.Integer(allow_none=True)
    expired_value = fields.Integer(allow_none=True)
    expiring_30_value = fields.Integer(allow_none=True)
    expiring_60_value = fields.Integer(allow_none=True)
    expiring_90_value = fields.Integer(allow_none=True)
    quarantine_value = fields.Integer(allow_none=True, metadata={"description": "stock in quarantine, at cost"})
    below_minimum_count = fields.Integer()
    sync = fields.Nested(SyncSchema)


class StoreFiguresSchema(FiguresSchema):
    store_id = fields.Integer()
    code = fields.String()
    name = fields.String()


class OverviewSchema(Base):
    date_from = fields.Date()
    date_to = fields.Date()
    stores = fields.List(fields.Nested(StoreFiguresSchema))
    totals = fields.Nested(FiguresSchema)


class SalesTotalsSchema(Base):
    quantity = fields.Integer()
    revenue = fields.Integer()
    cost = fields.Integer(allow_none=True)
    gross_margin = fields.Integer(allow_none=True)
    sales_count = fields.Integer()


class SalesRowSchema(SalesTotalsSchema):
    key = fields.Raw()
    label = fields.String()


class PageSchema(Base):
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


class SalesSchema(PageSchema):
    group_by = fields.String()
    rows = fields.List(fields.Nested(SalesRowSchema))
    totals = fields.Nested(SalesTotalsSchema)


class MovementTotalsSchema(Base):
    opening = fields.Integer()
    received = fields.Integer()
    sold = fields.Integer()
    returned = fields.Integer()
    voided = fields.Integer()
    issued = fields.Integer()
    transferred_in = fields.Integer()
    transferred_out = fields.Integer()
    adjusted = fields.Integer()
    closing = fields.Integer()


class MovementRowSchema(MovementTotalsSchema):
    product_id = fields.Integer()
    product_name = fields.String()
    base_unit = fields.String()
    lot = fields.String()
    expiry = fields.Date()


class MovementsSchema(PageSchema):
    store_id = fields.Integer()
    rows = fields.List(fields.Nested(MovementRowSchema))
    totals = fields.Nested(MovementTotalsSchema)


class SuggestionSchema(Base):
    product_id = fields.Integer()
    product_name = fields.String()
    lot = fields.String()
    expiry = fields.Date()
    from_store_id = fields.Integer()
    to_store_id = fields.Integer()
    quantity = fields.Integer()
    days_to_sell_at_source = fields.Integer(allow_none=True)
    days_to_sell_at_target = fields.Integer(allow_none=True)


class RebalancingSchema(PageSchema):
    suggestions = fields.List(fields.Nested(SuggestionSchema))


class SlowMoversSchema(PageSchema):
    rows = fields.List(fields.Nested(SlowMoverSchema))


class MatrixStoreSchema(Base):
    store_id = fields.Integer()
    code = fields.String()
    name = fields.String()


class MatrixRowSchema(Base):
    product_id = fields.Integer()
    name = fields.String()
    base_unit = fields.String()
    per_store = fields.Dict(keys=fields.String(), values=fields.Integer())
    total = fields.Integer()


class MatrixSchema(PageSchema):
    stores = fields.List(fields.Nested(MatrixStoreSchema))
    rows = fields.List(fields.Nested(MatrixRowSchema))


MONEY_AT_COST = ("cost", "gross_margin", "stock_value", "expired_value", "expiring_30_value", "expiring_60_value",
                 "expiring_90_value", "quarantine_value")

OVERVIEW_COLUMNS = [
    Column("code", _l("Store code")),
    Column("name", _l("Store")),
    Column("revenue", _l("Revenue"), "money"),
    Column("sales_count", _l("Number of sales"), "int"),
    Column("average_basket", _l("Average basket"), "money"),
    Column("cost", _l("Cost"), "money"),
    Column("gross_margin", _l("Gross margin"), "money"),
    Column("stock_value", _l("Stock value at cost"), "money"),
    Column("expired_value", _l("Expired value"), "money"),
    Column("expiring_30_value", _l("Expiring within 30 days"), "money"),
    Column("expiring_60_value", _l("Expiring within 60 days"), "money"),
    Column("expiring_90_value", _l("Expiring within 90 days"), "money"),
    Column("quarantine_value", _l("Quarantined stock value"), "money"),
    Column("below_minimum_count", _l("Below minimum"), "int"),
    Column("sync_pending", _l("Waiting to send"), "int"),
    Column("sync_held", _l("Held"), "int"),
    Column("sync_rejected", _l("Rejected"), "int"),
    Column("sync_oldest_pending_seconds", _l("Oldest waiting (seconds)"), "int"),
]

SALES_KEY_HEADERS = {"day": (_l("Day"), "date"), "product": (_l("Product"), "text"), "store": (_l("Store"), "text"),
                     "user": (_l("Staff"), "text")}
SALES_FIGURES = [
    Column("quantity", _l("Quantity (base units)"), "int"),
    Column("revenue", _l("Revenue"), "money"),
    Column("cost", _l("Cost"), "money"),
    Column("gross_margin", _l("Gross margin"), "money"),
    Column("sales_count", _l("Number of sales"), "int"),
]


def sales_columns(group_by: str) -> list[Column]:
    header, kind = SALES_KEY_HEADERS[group_by]
    return [Column("day" if group_by == "day" else "label", header, kind), *SALES_FIGURES]


MOVEMENT_COLUMNS = [
    Column("product_name", _l("Product")),
    Column("base_unit", _l("Unit")),
    Column("lot", _l("Lot")),
    Column("expiry", _l("Expiry"), "date"),
    Column("opening", _l("Units at the start"), "int"),
    Column("received", _l("Units received"), "int"),
    Column("sold", _l("Units sold"), "int"),
    Column("returned", _l("Units returned by customers"), "int"),
    Column("voided", _l("Units voided"), "int"),
    Column("issued", _l("Units issued"), "int"),
    Column("transferred_in", _l("Units transferred in"), "int"),
    Column("transferred_out", _l("Units transferred out"), "int"),
    Column("adjusted", _l("Units adjusted"), "int"),
    Column("closing", _l("Units at the end"), "int"),
]

SUGGESTION_COLUMNS = [
    Column("product_name", _l("Product")),
    Column("lot", _l("Lot")),
    Column("expiry", _l("Expiry"), "date"),
    Column("from_store", _l("Move from store")),
    Column("to_store", _l("Move to store")),
    Column("quantity", _l("Suggested quantity"), "int"),
    Column("days_to_sell_at_source", _l("Days to sell at the source"), "int"),
    Column("days_to_sell_at_target", _l("Days to sell at the target"), "int"),
]

SLOW_MOVER_COLUMNS = [
    Column("store", _l("Store")),
    Column("product_name", _l("Product")),
    Column("base_unit", _l("Unit")),
    Column("quantity", _l("Units on hand"), "int"),
    Column("stock_value", _l("Stock value at cost"), "money"),
    Column("last_sold_day", _l("Last sold"), "date"),
    Column("days_idle", _l("Days without a sale"), "int"),
]
