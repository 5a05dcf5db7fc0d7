"""The owner's reports: overview, sales, XNT by lot, rebalancing and the store matrix; JSON, .xlsx or CSV.

Each report is built once as a `Table` (pharmacy/presenters/report_tables.py); the endpoint answers it as JSON or
as a file, and the reports page renders the same table.
"""
from __future__ import annotations

import math

from flask import Response
from flask.views import MethodView
from flask_babel import gettext
from flask_smorest import Blueprint

from ..errors import Invalid, msg
from ..presenters.report_queries import (
    MatrixQuery,
    MatrixSchema,
    MovementsQuery,
    MovementsSchema,
    OverviewQuery,
    OverviewSchema,
    RebalancingQuery,
    RebalancingSchema,
    SalesQuery,
    SalesSchema,
    SlowMoversQuery,
    SlowMoversSchema,
)
from ..presenters.report_tables import (
    Table,
    matrix_products,
    matrix_table,
    movements_table,
    overview_table,
    rebalancing_table,
    sales_table,
    slow_movers_table,
)
from ..reports.export import to_csv, to_xlsx
from .auth import actor

blp = Blueprint("reports", __name__, url_prefix="/api/v1", description="Owner's reports")

MIMETYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "csv": "text/csv; charset=utf-8"}


def page_of(items: list, args: dict) -> tuple[list, dict]:
    """One page of a report's rows and the paging fields; a page past the end is refused (422)."""
    total, page, per_page = len(items), args["page"], args["per_page"]
    last = max(1, math.ceil(total / per_page))
    if page > last:
        raise Invalid(msg("Page %(page)s does not exist (there are %(last)s pages).", page=page, last=last),
                      field="page")
    return items[(page - 1) * per_page: page * per_page], {"total": total, "page": page, "per_page": per_page}


def download(args: dict, table: Table) -> Response | None:
    """The table as a file when format=xlsx|csv, else None (the caller answers JSON)."""
    kind = args.get("format", "json")
    if kind == "xlsx":
        body = to_xlsx(table.title, table.columns, table.rows, table.totals, totals_label=gettext("Total"))
    elif kind == "csv":
        body = to_csv(table.columns, table.rows, table.totals, totals_label=gettext("Total"))
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
