"""The owner's reports: overview, sales, XNT by lot, rebalancing and the store matrix; JSON, .xlsx or CSV.

Each report is built once as a `Table` (columns, rows, totals); the endpoint answers it as JSON or as a file, and
the reports page renders the same table.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from ..catalog.models import Product
from ..catalog.search import search_products
from ..catalog.services import get_product
from ..clock import local_date, local_today, utcnow
from ..errors import Invalid
from ..extensions import db
from ..stores.models import User
from ..reports.access import cost_visible, report_stores, sees_all_costs
from ..reports.export import Column, to_csv, to_xlsx
from ..reports.matrix import stock_matrix
from ..reports.movements import stock_movements, totals as movement_totals
from ..reports.overview import overview
from ..reports.period import Period
from ..reports.rebalancing import rebalancing
from ..reports.sales import labels, sales_report
from ..reports.slow_movers import slow_movers
from .auth import actor
from .report_schemas import (
    MOVEMENT_COLUMNS, OVERVIEW_COLUMNS, SLOW_MOVER_COLUMNS, SUGGESTION_COLUMNS, MatrixQuery, MatrixSchema,
    MovementsQuery, MovementsSchema, OverviewQuery, OverviewSchema, RebalancingQuery, RebalancingSchema, SalesQuery,
    SalesSchema, SlowMoversQuery, SlowMoversSchema, sales_columns,
)

blp = Blueprint("reports", __name__, url_prefix="/api/v1", description="Owner's reports")

MATRIX_SEARCH_LIMIT = 200
MIMETYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "csv": "text/csv; charset=utf-8"}


@dataclass
class Table:
    """A report ready to show or download: `name` is the file name without extension."""

    name: str
    title: str
    columns: list[Column]
    rows: list[dict]
    totals: dict | None = None
    extra: dict = field(default_factory=dict)


def page_of(items: list, args: dict) -> tuple[list, dict]:
    """One page of a report's rows and the paging fields; a page past the end is refused (422)."""
    total, page, per_page = len(items), args["page"], args["per_page"]
    last = max(1, math.ceil(total / per_page))
    if page > last:
        raise Invalid(f"Trang {page} không tồn tại (có {last} trang).", field="page")
    return items[(page - 1) * per_page: page * per_page], {"total": total, "page": page, "per_page": per_page}


def download(args: dict, table: Table) -> Response | None:
    """The table as a file when format=xlsx|csv, else None (the caller answers JSON)."""
    kind = args.get("format", "json")
    if kind == "xlsx":
        body = to_xlsx(table.title, table.columns, table.rows, table.totals)
    elif kind == "csv":
        body = to_csv(table.columns, table.rows, table.totals)
    else:
        return None
    return Response(body, mimetype=MIMETYPES[kind],
                    headers={"Content-Disposition": f'attachment; filename="{table.name}.{kind}"'})


def answer(args: dict, table: Table, *, rows_key: str = "rows"):
    """The table as a file (format=xlsx|csv), else one page of its rows as JSON with its totals and extras."""
    if (file := download(args, table)) is not None:
        return file
    rows, paging = page_of(table.rows, args)
    body = {**table.extra, rows_key: rows, **paging}
    if table.totals is not None:
        body["totals"] = table.totals
    return body


def _period(args) -> Period:
    return Period.of(args["date_from"], args["date_to"])


def _span(args) -> str:
    return f"{args['date_from'].isoformat()}_{args['date_to'].isoformat()}"


def overview_table(args: dict, who: User) -> Table:
    stores = report_stores(db.session, who, args.get("store_id"))
    result = overview(db.session, period=_period(args), stores=stores, today=local_today(), now=utcnow(),
                      cost_visible=cost_visible(who, stores))
    flat = [{**entry, **{f"sync_{k}": v for k, v in entry["sync"].items()}} for entry in result["stores"]]
    return Table(f"tong-quan_{_span(args)}", "Tổng quan", OVERVIEW_COLUMNS, flat, result["totals"],
                 {"stores": result["stores"]})


def _sales_row(key, label: str, figures, show_cost: bool) -> dict:
    is_day = hasattr(key, "isoformat")
    row = {"key": key.isoformat() if is_day else key, "label": label, "quantity": figures.quantity,
           "revenue": figures.revenue, "sales_count": figures.sales_count,
           "cost": figures.cost if show_cost else None, "gross_margin": figures.gross_margin if show_cost else None}
    if is_day:
        row["day"] = key
    return row


def sales_table(args: dict, who: User) -> Table:
    stores = report_stores(db.session, who, args.get("store_id"))
    group_by = args["group_by"]
    report = sales_report(db.session, period=_period(args), group_by=group_by, store_ids=[s.id for s in stores])
    show_cost = sees_all_costs(who, stores)
    names = labels(db.session, group_by, report.rows)
    rows = [_sales_row(key, names.get(key, str(key)), figures, show_cost) for key, figures in report.rows.items()]
    if group_by == "day":
        rows.sort(key=lambda row: row["key"])
    else:
        rows.sort(key=lambda row: (-row["revenue"], row["label"]))
    return Table(f"doanh-thu-theo-{group_by}_{_span(args)}", "Doanh thu", sales_columns(group_by), rows,
                 _sales_row(None, "", report.totals, show_cost), {"group_by": group_by})


def movements_table(args: dict, who: User) -> Table:
    store = report_stores(db.session, who, args["store_id"])[0]
    if args.get("product_id"):
        get_product(db.session, args["product_id"])
    found = stock_movements(db.session, period=_period(args), store_id=store.id, product_id=args.get("product_id"))
    return Table(f"xnt_{store.code}_{_span(args)}", f"XNT {store.code}", MOVEMENT_COLUMNS,
                 [row.as_dict() for row in found], movement_totals(found), {"store_id": store.id})


def rebalancing_table(args: dict, who: User) -> Table:
    stores = report_stores(db.session, who)
    codes = {store.id: store.code for store in stores}
    found = rebalancing(db.session, store_ids=list(codes), today=local_today(), now=utcnow(),
                        within_days=args["within_days"])
    names = labels(db.session, "product", {s["product_id"] for s in found})
    rows = [{**s, "product_name": names.get(s["product_id"], ""), "from_store": codes[s["from_store_id"]],
             "to_store": codes[s["to_store_id"]]} for s in found]
    return Table(f"de-xuat-dieu-chuyen_{local_today().isoformat()}", "Đề xuất điều chuyển", SUGGESTION_COLUMNS,
                 rows)


def slow_movers_table(args: dict, who: User) -> Table:
    stores = report_stores(db.session, who, args.get("store_id"))
    visible = cost_visible(who, stores)
    rows = slow_movers(db.session, store_ids=[s.id for s in stores], days=args["days"], now=utcnow())
    for row in rows:
        row["last_sold_day"] = local_date(row["last_sold"]) if row["last_sold"] else None
        if row["store_id"] not in visible:
            row["stock_value"] = None
    totals = {"quantity": sum(r["quantity"] for r in rows),
              "stock_value": None if any(r["stock_value"] is None for r in rows)
              else sum(r["stock_value"] for r in rows)}
    return Table(f"hang-cham-ban-{args['days']}-ngay_{local_today().isoformat()}", "Hàng chậm bán",
                 SLOW_MOVER_COLUMNS, rows, totals)


def matrix_products(args: dict) -> list[Product]:
    if args.get("product_id"):
        return [get_product(db.session, args["product_id"])]
    return search_products(db.session, args["q"], limit=MATRIX_SEARCH_LIMIT)


def matrix_table(products: list[Product], who: User) -> Table:
    result = stock_matrix(db.session, products=products, stores=report_stores(db.session, who))
    columns = [Column("name", "Sản phẩm"), Column("base_unit", "Đơn vị")]
    columns += [Column(f"store_{s['store_id']}", s["code"], "int") for s in result["stores"]]
    columns.append(Column("total", "Tổng", "int"))
    flat = [{**row, **{f"store_{k}": v for k, v in row["per_store"].items()}} for row in result["rows"]]
    return Table("ton-kho-theo-cua-hang", "Tồn kho theo cửa hàng", columns, flat, None, result)


@blp.route("/reports/overview")
class Overview(MethodView):
    @blp.arguments(OverviewQuery, location="query")
    @blp.response(200, OverviewSchema)
    def get(self, args):
        """Per store and in total: sales of the period, stock values at cost, expiry exposure, sync health."""
        table = overview_table(args, actor())
        return download(args, table) or {"date_from": args["date_from"], "date_to": args["date_to"],
                                         "stores": table.extra["stores"], "totals": table.totals}


@blp.route("/reports/sales")
class Sales(MethodView):
    @blp.arguments(SalesQuery, location="query")
    @blp.response(200, SalesSchema)
    def get(self, args):
        """Quantity (base units), revenue, cost, margin and number of sales per day, product, store or seller."""
        return answer(args, sales_table(args, actor()))


@blp.route("/reports/stock-movements")
class StockMovements(MethodView):
    @blp.arguments(MovementsQuery, location="query")
    @blp.response(200, MovementsSchema)
    def get(self, args):
        """XNT by lot for one store (base units): opening, movements by kind, closing — exactly the ledger's."""
        return answer(args, movements_table(args, actor()))


@blp.route("/reports/rebalancing")
class Rebalancing(MethodView):
    @blp.arguments(RebalancingQuery, location="query")
    @blp.response(200, RebalancingSchema)
    def get(self, args):
        """Lots that will expire before their store sells them, and a faster store to move them to."""
        return answer(args, rebalancing_table(args, actor()), rows_key="suggestions")


@blp.route("/reports/slow-movers")
class SlowMovers(MethodView):
    @blp.arguments(SlowMoversQuery, location="query")
    @blp.response(200, SlowMoversSchema)
    def get(self, args):
        """Products on hand that have not sold in their store for `days` days (or never), longest idle first."""
        return answer(args, slow_movers_table(args, actor()))


@blp.route("/stock/matrix")
class Matrix(MethodView):
    @blp.arguments(MatrixQuery, location="query")
    @blp.response(200, MatrixSchema)
    def get(self, args):
        """Base units on hand per product (a search, or one product) and store; files hold every match."""
        products = matrix_products(args)
        if args["format"] != "json":
            return download(args, matrix_table(products, actor()))
        shown, paging = page_of(products, args)
        result = matrix_table(shown, actor()).extra
        return {**result, **paging}
