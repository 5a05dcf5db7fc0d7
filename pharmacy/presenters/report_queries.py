"""Query and answer schemas of the owner's reports, and the columns of their Excel/CSV downloads."""
from __future__ import annotations

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


class SalesQuery(PeriodQuery):
    group_by = fields.String(required=True, validate=validate.OneOf(GROUPS))
    store_id = Id(strict=False)


class MovementsQuery(PeriodQuery):
    store_id = Id(strict=False, required=True)
    product_id = Id(strict=False)


class RebalancingQuery(PagedQuery):
    within_days = fields.Integer(load_default=90, validate=validate.Range(min=1, max=365))


class SlowMoversQuery(PagedQuery):
    days = fields.Integer(load_default=90, validate=validate.Range(min=1, max=3650))
    store_id = Id(strict=False)


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

    @validates_schema
    def _one_of(self, data, **kwargs):
        if not data.get("q") and not data.get("product_id"):
            raise ValidationError(msg("Give q (a product search) or product_id."), field_name="q")


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
    Column("code", "Mã cửa hàng"), Column("name", "Cửa hàng"), Column("revenue", "Doanh thu", "money"),
    Column("sales_count", "Số hóa đơn", "int"), Column("average_basket", "Giá trị TB/hóa đơn", "money"),
    Column("cost", "Giá vốn", "money"), Column("gross_margin", "Lãi gộp", "money"),
    Column("stock_value", "Giá trị tồn (giá vốn)", "money"), Column("expired_value", "Đã hết hạn", "money"),
    Column("expiring_30_value", "Hết hạn trong 30 ngày", "money"),
    Column("expiring_60_value", "Hết hạn trong 60 ngày", "money"),
    Column("expiring_90_value", "Hết hạn trong 90 ngày", "money"),
    Column("quarantine_value", "Hàng cách ly", "money"),
    Column("below_minimum_count", "Dưới tồn tối thiểu", "int"),
    Column("sync_pending", "Chờ gửi", "int"), Column("sync_held", "Tạm giữ", "int"),
    Column("sync_rejected", "Bị từ chối", "int"), Column("sync_oldest_pending_seconds", "Chờ lâu nhất (giây)", "int"),
]

SALES_KEY_HEADERS = {"day": ("Ngày", "date"), "product": ("Sản phẩm", "text"), "store": ("Cửa hàng", "text"),
                     "user": ("Nhân viên", "text")}
SALES_FIGURES = [
    Column("quantity", "Số lượng (đơn vị cơ bản)", "int"), Column("revenue", "Doanh thu", "money"),
    Column("cost", "Giá vốn", "money"), Column("gross_margin", "Lãi gộp", "money"),
    Column("sales_count", "Số hóa đơn", "int"),
]


def sales_columns(group_by: str) -> list[Column]:
    header, kind = SALES_KEY_HEADERS[group_by]
    return [Column("day" if group_by == "day" else "label", header, kind), *SALES_FIGURES]


MOVEMENT_COLUMNS = [
    Column("product_name", "Sản phẩm"), Column("base_unit", "Đơn vị"), Column("lot", "Lô"),
    Column("expiry", "Hạn dùng", "date"), Column("opening", "Tồn đầu", "int"), Column("received", "Nhập", "int"),
    Column("sold", "Bán", "int"), Column("returned", "Khách trả", "int"), Column("voided", "Hủy hóa đơn", "int"),
    Column("issued", "Xuất", "int"), Column("transferred_in", "Chuyển đến", "int"),
    Column("transferred_out", "Chuyển đi", "int"), Column("adjusted", "Điều chỉnh", "int"),
    Column("closing", "Tồn cuối", "int"),
]

SUGGESTION_COLUMNS = [
    Column("product_name", "Sản phẩm"), Column("lot", "Lô"), Column("expiry", "Hạn dùng", "date"),
    Column("from_store", "Từ cửa hàng"), Column("to_store", "Đến cửa hàng"),
    Column("quantity", "Số lượng đề xuất", "int"),
    Column("days_to_sell_at_source", "Số ngày bán hết tại nơi đi", "int"),
    Column("days_to_sell_at_target", "Số ngày bán hết tại nơi đến", "int"),
]

SLOW_MOVER_COLUMNS = [
    Column("store", "Cửa hàng"), Column("product_name", "Sản phẩm"), Column("base_unit", "Đơn vị"),
    Column("quantity", "Tồn", "int"), Column("stock_value", "Giá trị tồn (giá vốn)", "money"),
    Column("last_sold_day", "Bán lần cuối", "date"), Column("days_idle", "Số ngày không bán", "int"),
]
