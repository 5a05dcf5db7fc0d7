"""The owner's pages: the dashboard across stores and the reports page (tables with Excel/CSV downloads)."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from marshmallow import ValidationError

from ..clock import local_today, utcnow
from ..errors import DomainError
from ..extensions import db
from ..presenters.books import climate_reminders
from ..presenters.messages import error_text, form_errors, texts
from ..presenters.report_queries import MovementsQuery, OverviewQuery, RebalancingQuery, SalesQuery, SlowMoversQuery
from ..presenters.report_tables import (
    movements_table,
    overview_table,
    rebalancing_table,
    sales_table,
    slow_movers_table,
)
from ..recalls.services import open_recalls
from ..reports.access import cost_visible, report_stores
from ..reports.dashboard import dashboard as dashboard_figures
from ..reports.period import PRESETS, preset_period
from .category_views import all_categories, chosen_category

bp = Blueprint("owner", __name__)

STOCK_VIEWS = ("all", "expired", "30", "60", "90", "below_minimum")
PAGE_ROWS = 500
REPORTS = {
    # kind: (query schema, table builder, API path, fixed arguments)
    "overview": (OverviewQuery, overview_table, "/api/v1/reports/overview", {}),
    "sales_day": (SalesQuery, sales_table, "/api/v1/reports/sales", {"group_by": "day"}),
    "sales_product": (SalesQuery, sales_table, "/api/v1/reports/sales", {"group_by": "product"}),
    "sales_store": (SalesQuery, sales_table, "/api/v1/reports/sales", {"group_by": "store"}),
    "sales_user": (SalesQuery, sales_table, "/api/v1/reports/sales", {"group_by": "user"}),
    "stock_movements": (MovementsQuery, movements_table, "/api/v1/reports/stock-movements", {}),
    "rebalancing": (RebalancingQuery, rebalancing_table, "/api/v1/reports/rebalancing", {}),
    "slow_movers": (SlowMoversQuery, slow_movers_table, "/api/v1/reports/slow-movers", {}),
}


@bp.app_template_filter("waited")
def waited(seconds: int | None) -> str:
    """How long the oldest document has waited: 45 s, 12 min, 3 h 5 min, 2 d 4 h."""
    if seconds is None:
        return "–"
    minutes, hours = seconds // 60, seconds // 3600
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{minutes} min"
    if seconds < 86400:
        return f"{hours} h {minutes % 60} min"
    return f"{hours // 24} d {hours % 24} h"


def _date(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


@bp.route("/dashboard")
@login_required
def dashboard():
    choice = request.args.get("period", "today")
    today, error = local_today(), None
    try:
        period = preset_period(choice, today, _date("date_from"), _date("date_to"))
    except DomainError as exc:
        choice, error, period = "today", error_text(exc), preset_period("today", today)
    stores = report_stores(db.session, current_user)
    category_id = chosen_category()
    figures = dashboard_figures(db.session, period=period, stores=stores, today=today, now=utcnow(),
                                cost_visible=cost_visible(current_user, stores), category_id=category_id)
    return render_template("dashboard.html", period=period, choice=choice, presets=PRESETS, error=error,
                           figures=figures, today=today, recalls=open_recalls(db.session, today),
                           climate_due=climate_reminders(stores), categories=all_categories(), category_id=category_id)


@bp.route("/dashboard/stores/<int:store_id>/stock")
@login_required
def store_stock(store_id: int):
    """Drill into one store's stock list (the stock page works on the store chosen in the top bar)."""
    if not current_user.can_access_store(store_id):
        abort(403)
    show = request.args.get("show", "all")
    session["store_id"] = store_id
    return redirect(url_for("backoffice.stock", show=show if show in STOCK_VIEWS else "all"))


@bp.route("/reports")
@login_required
def reports():
    kind = request.args.get("kind", "sales_day")
    if kind not in REPORTS:
        abort(404)
    schema, build, api_path, fixed = REPORTS[kind]
    today = local_today()
    raw = {"date_from": today.replace(day=1).isoformat(), "date_to": today.isoformat(),
           **{k: v for k, v in request.args.items() if v != "" and k != "kind"}, **fixed}
    if kind == "stock_movements" and "store_id" not in raw:
        first = report_stores(db.session, current_user)
        raw["store_id"] = str(first[0].id) if first else ""
    table, errors = None, {}
    try:
        args = schema().load({k: v for k, v in raw.items() if k in schema().fields})
        table = build(args, current_user)
    except ValidationError as exc:
        errors = {key: " ".join(value) for key, value in texts(exc.messages).items()}
    except DomainError as exc:
        errors = form_errors(exc)
    query = {k: v for k, v in raw.items() if k in schema().fields and k not in ("format", "page", "per_page")}
    return render_template("reports.html", kind=kind, kinds=list(REPORTS), table=table, errors=errors, raw=raw,
                           categories=all_categories(), filters_category="category_id" in schema().fields,
                           stores=report_stores(db.session, current_user), api_path=api_path, query=query,
                           page_rows=PAGE_ROWS)
