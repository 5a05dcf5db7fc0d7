"""The owner's reports: overview, sales, XNT by lot, rebalancing and the store matrix; JSON, .xlsx or CSV."""
from __future__ import annotations

import math

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from ..catalog.models import Product
from ..catalog.search import search_products
from ..catalog.services import get_product
from ..clock import local_today, utcnow
from ..errors import Invalid
from ..extensions import db
from ..reports.access import cost_visible, report_stores, sees_all_costs
from ..reports.export import Column, to_csv, to_xlsx
from ..reports.matrix import stock_matrix
from ..reports.movements import stock_movements, totals as movement_totals
from ..reports.overview import overview
from ..reports.period import Period
from ..reports.rebalancing import rebalancing
from ..reports.sales import labels, sales_report
from .auth import actor
from .report_schemas import (
    MOVEMENT_COLUMNS, OVERVIEW_COLUMNS, SUGGESTION_COLUMNS, MatrixQuery, MatrixSchema, MovementsQuery,
    MovementsSchema, OverviewQuery, OverviewSchema, RebalancingQuery, RebalancingSchema, SalesQuery, SalesSchema,
    sales_columns,
)

blp = Blueprint("reports", __name__, url_prefix="/api/v1", description="Owner's reports")

MATRIX_SEARCH_LIMIT = 200


def page_of(items: list, args: dict) -> tuple[list, dict]:
    """One page of a report's rows and the paging fields; a page past the end is refused (422)."""
    total, page, per_page = len(items), args["page"], args["per_page"]
    last = max(1, math.ceil(total / per_page))
    if page > last:
        raise Invalid(f"Trang {page} không tồn tại (có {last} trang).", field="page")
    return items[(page - 1) * per_page: page * per_page], {"total": total, "page": page, "per_page": per_page}


def download(args: dict, name: str, title: str, columns: list[Column], rows: list[dict], totals: dict | None):
    """The same rows as a file when format=xlsx|csv, else None (JSON)."""
    if args["format"] == "xlsx":
        body = to_xlsx(title, columns, rows, totals)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif args["format"] == "csv":
        body, mimetype = to_csv(columns, rows, totals), "text/csv; charset=utf-8"
    else:
        return None
    filename = f"{name}.{args['format']}"
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _period(args) -> Period:
    return Period.of(args["date_from"], args["date_to"])


def _span(args) -> str:
    return f"{args['date_from'].isoformat()}_{args['date_to'].isoformat()}"


@blp.route("/reports/overview")
class Overview(MethodView):
    @blp.arguments(OverviewQuery, location="query")
    @blp.response(200, OverviewSchema)
    def get(self, args):
        """Per store and in total: sales of the period, stock values at cost, expiry exposure, sync health."""
        stores = report_stores(db.session, actor(), args.get("store_id"))
        result = overview(db.session, period=_period(args), stores=stores, today=local_today(), now=utcnow(),
                          cost_visible=cost_visible(actor(), stores))
        flat = [{**entry, **{f"sync_{k}": v for k, v in entry["sync"].items()}} for entry in result["stores"]]
        file = download(args, f"tong-quan_{_span(args)}", "Tổng quan", OVERVIEW_COLUMNS, flat, result["totals"])
        return file or {"date_from": args["date_from"], "date_to": args["date_to"], **result}


@blp.route("/reports/sales")
class Sales(MethodView):
    @blp.arguments(SalesQuery, location="query")
    @blp.response(200, SalesSchema)
    def get(self, args):
        """Quantity (base units), revenue, cost, margin and number of sales per day, product, store or seller."""
        stores = report_stores(db.session, actor(), args.get("store_id"))
        group_by = args["group_by"]
        report = sales_report(db.session, period=_period(args), group_by=group_by,
                              store_ids=[store.id for store in stores])
        show_cost = sees_all_costs(actor(), stores)
        names = labels(db.session, group_by, report.rows)
        rows = [_sales_row(key, names.get(key, str(key)), figures, show_cost) for key, figures in report.rows.items()]
        if group_by == "day":
            rows.sort(key=lambda row: row["key"])
        else:
            rows.sort(key=lambda row: (-row["revenue"], row["label"]))
        totals = _sales_row(None, "", report.totals, show_cost)
        file = download(args, f"doanh-thu-theo-{group_by}_{_span(args)}", "Doanh thu", sales_columns(group_by),
                        rows, totals)
        if file:
            return file
        shown, paging = page_of(rows, args)
        return {"group_by": group_by, "rows": shown, "totals": totals, **paging}


def _sales_row(key, label: str, figures, show_cost: bool) -> dict:
    row = {"key": key.isoformat() if hasattr(key, "isoformat") else key, "label": label,
           "quantity": figures.quantity, "revenue": figures.revenue, "sales_count": figures.sales_count,
           "cost": figures.cost if show_cost else None,
           "gross_margin": figures.gross_margin if show_cost else None}
    if hasattr(key, "isoformat"):
        row["day"] = key
    return row


@blp.route("/reports/stock-movements")
class StockMovements(MethodView):
    @blp.arguments(MovementsQuery, location="query")
    @blp.response(200, MovementsSchema)
    def get(self, args):
        """XNT by lot for one store (base units): opening, movements by kind, closing — exactly the ledger's."""
        store = report_stores(db.session, actor(), args["store_id"])[0]
        if args.get("product_id"):
            get_product(db.session, args["product_id"])
        found = stock_movements(db.session, period=_period(args), store_id=store.id,
                                product_id=args.get("product_id"))
        rows, totals = [row.as_dict() for row in found], movement_totals(found)
        file = download(args, f"xnt_{store.code}_{_span(args)}", f"XNT {store.code}", MOVEMENT_COLUMNS, rows,
                        totals)
        if file:
            return file
        shown, paging = page_of(rows, args)
        return {"store_id": store.id, "rows": shown, "totals": totals, **paging}


@blp.route("/reports/rebalancing")
class Rebalancing(MethodView):
    @blp.arguments(RebalancingQuery, location="query")
    @blp.response(200, RebalancingSchema)
    def get(self, args):
        """Lots that will expire before their store sells them, and a faster store to move them to."""
        stores = report_stores(db.session, actor())
        codes = {store.id: store.code for store in stores}
        found = rebalancing(db.session, store_ids=list(codes), today=local_today(), now=utcnow(),
                            within_days=args["within_days"])
        names = labels(db.session, "product", {s["product_id"] for s in found})
        rows = [{**s, "product_name": names.get(s["product_id"], ""), "from_store": codes[s["from_store_id"]],
                 "to_store": codes[s["to_store_id"]]} for s in found]
        file = download(args, f"de-xuat-dieu-chuyen_{local_today().isoformat()}", "Đề xuất điều chuyển",
                        SUGGESTION_COLUMNS, rows, None)
        if file:
            return file
        shown, paging = page_of(rows, args)
        return {"suggestions": shown, **paging}


@blp.route("/stock/matrix")
class Matrix(MethodView):
    @blp.arguments(MatrixQuery, location="query")
    @blp.response(200, MatrixSchema)
    def get(self, args):
        """Base units on hand per product (a search, or one product) and store."""
        stores = report_stores(db.session, actor())
        if args.get("product_id"):
            products: list[Product] = [get_product(db.session, args["product_id"])]
        else:
            products = search_products(db.session, args["q"], limit=MATRIX_SEARCH_LIMIT)
        shown, paging = page_of(products, args)
        result = stock_matrix(db.session, products=shown, stores=stores)
        if args["format"] != "json":
            columns = [Column("name", "Sản phẩm"), Column("base_unit", "Đơn vị")]
            columns += [Column(f"store_{s['store_id']}", s["code"], "int") for s in result["stores"]]
            columns.append(Column("total", "Tổng", "int"))
            every = stock_matrix(db.session, products=products, stores=stores)["rows"]
            flat = [{**row, **{f"store_{k}": v for k, v in row["per_store"].items()}} for row in every]
            return download(args, "ton-kho-theo-cua-hang", "Tồn kho theo cửa hàng", columns, flat, None)
        return {**result, **paging}
