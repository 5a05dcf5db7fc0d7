"""The owner's reports as tables (columns, rows, totals) built once for the JSON API, the files and the pages."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from ..catalog.categories import get_category
from ..catalog.models import Product
from ..catalog.search import search_products
from ..catalog.services import get_product
from ..clock import local_date, local_today, utcnow
from ..extensions import db
from ..reports.access import cost_visible, report_stores, sees_all_costs
from ..reports.export import Column
from ..reports.matrix import stock_matrix
from ..reports.movements import stock_movements
from ..reports.movements import totals as movement_totals
from ..reports.overview import overview
from ..reports.period import Period
from ..reports.rebalancing import rebalancing
from ..reports.sales import labels, sales_report
from ..reports.slow_movers import slow_movers
from ..stores.models import User
from .report_queries import (
    MOVEMENT_COLUMNS,
    OVERVIEW_COLUMNS,
    SLOW_MOVER_COLUMNS,
    SUGGESTION_COLUMNS,
    sales_columns,
)

MATRIX_SEARCH_LIMIT = 200


@dataclass
class Table:
    """A report ready to show or download: `name` is the file name without extension."""

    name: str
    title: str  # the sheet's name, in the reader's language
    columns: list[Column]
    rows: list[dict]
    totals: dict | None = None
    extra: dict = field(default_factory=dict)


def _category(args) -> int | None:
    """The category filter, checked (an unknown id is a 404 naming category_id)."""
    if args.get("category_id") is None:
        return None
    return get_category(db.session, args["category_id"]).id


def _period(args) -> Period:
    return Period.of(args["date_from"], args["date_to"])


def _span(args) -> str:
    return f"{args['date_from'].isoformat()}_{args['date_to'].isoformat()}"


def overview_table(args: dict, who: User) -> Table:
    stores = report_stores(db.session, who, args.get("store_id"))
    result = overview(db.session, period=_period(args), stores=stores, today=local_today(), now=utcnow(),
                      cost_visible=cost_visible(who, stores))
    flat = [{**entry, **{f"sync_{k}": v for k, v in entry["sync"].items()}} for entry in result["stores"]]
    return Table(f"tong-quan_{_span(args)}", _("Overview"), OVERVIEW_COLUMNS, flat, result["totals"],
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
    report = sales_report(db.session, period=_period(args), group_by=group_by, store_ids=[s.id for s in stores],
                          category_id=_category(args))
    show_cost = sees_all_costs(who, stores)
    names = labels(db.session, group_by, report.rows)
    rows = [_sales_row(key, names.get(key, str(key)), figures, show_cost) for key, figures in report.rows.items()]
    if group_by == "day":
        rows.sort(key=lambda row: row["key"])
    else:
        rows.sort(key=lambda row: (-row["revenue"], row["label"]))
    return Table(f"doanh-thu-theo-{group_by}_{_span(args)}", _("Revenue"), sales_columns(group_by), rows,
                 _sales_row(None, "", report.totals, show_cost), {"group_by": group_by})


def movements_table(args: dict, who: User) -> Table:
    store = report_stores(db.session, who, args["store_id"])[0]
    if args.get("product_id"):
        get_product(db.session, args["product_id"])
    found = stock_movements(db.session, period=_period(args), store_id=store.id, product_id=args.get("product_id"),
                            category_id=_category(args))
    return Table(f"xnt_{store.code}_{_span(args)}", _("Stock movements %(store)s", store=store.code), MOVEMENT_COLUMNS,
                 [row.as_dict() for row in found], movement_totals(found), {"store_id": store.id})


def rebalancing_table(args: dict, who: User) -> Table:
    stores = report_stores(db.session, who)
    codes = {store.id: store.code for store in stores}
    found = rebalancing(db.session, store_ids=list(codes), today=local_today(), now=utcnow(),
                        within_days=args["within_days"], category_id=_category(args))
    names = labels(db.session, "product", {s["product_id"] for s in found})
    rows = [{**s, "product_name": names.get(s["product_id"], ""), "from_store": codes[s["from_store_id"]],
             "to_store": codes[s["to_store_id"]]} for s in found]
    return Table(f"de-xuat-dieu-chuyen_{local_today().isoformat()}", _("Transfer suggestions"), SUGGESTION_COLUMNS,
                 rows)


def slow_movers_table(args: dict, who: User) -> Table:
    stores = report_stores(db.session, who, args.get("store_id"))
    visible = cost_visible(who, stores)
    rows = slow_movers(db.session, store_ids=[s.id for s in stores], days=args["days"], now=utcnow(),
                       category_id=_category(args))
    for row in rows:
        row["last_sold_day"] = local_date(row["last_sold"]) if row["last_sold"] else None
        if row["store_id"] not in visible:
            row["stock_value"] = None
    totals = {"quantity": sum(r["quantity"] for r in rows),
              "stock_value": None if any(r["stock_value"] is None for r in rows)
              else sum(r["stock_value"] for r in rows)}
    return Table(f"hang-cham-ban-{args['days']}-ngay_{local_today().isoformat()}", _("Slow movers"),
                 SLOW_MOVER_COLUMNS, rows, totals)


def matrix_products(args: dict) -> list[Product]:
    if args.get("product_id"):
        return [get_product(db.session, args["product_id"])]
    category_id = _category(args)
    if args.get("q"):
        return search_products(db.session, args["q"], limit=MATRIX_SEARCH_LIMIT, category_id=category_id)
    return list(db.session.execute(select(Product).where(Product.category_id == category_id, Product.active)
                                   .order_by(Product.name, Product.id).limit(MATRIX_SEARCH_LIMIT)).scalars())


def matrix_table(products: list[Product], who: User) -> Table:
    result = stock_matrix(db.session, products=products, stores=report_stores(db.session, who))
    columns = [Column("name", _("Product")), Column("base_unit", _("Unit"))]
    columns += [Column(f"store_{s['store_id']}", s["code"], "int") for s in result["stores"]]
    columns.append(Column("total", _("Total units"), "int"))
    flat = [{**row, **{f"store_{k}": v for k, v in row["per_store"].items()}} for row in result["rows"]]
    return Table("ton-kho-theo-cua-hang", _("Stock per store"), columns, flat, None, result)


