"""The owner's dashboard: the overview plus the series its charts draw (revenue by day per store, top products,
expiry exposure per store)."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from ..stores.models import Store
from .overview import overview
from .period import Period
from .sales import labels, sales_report

TOP_PRODUCTS = 10


def revenue_by_day(session: Session, period: Period, stores: list[Store]) -> dict:
    """{labels: [every day of the period], series: [{store_id, code, values: [revenue per day]}]}."""
    rows = sales_report(session, period=period, group_by="day_store", store_ids=[s.id for s in stores]).rows
    days = [period.date_from + timedelta(days=i) for i in range(period.days)]
    series = [{"store_id": s.id, "code": s.code,
               "values": [rows[(d, s.id)].revenue if (d, s.id) in rows else 0 for d in days]} for s in stores]
    return {"labels": [d.isoformat() for d in days], "series": series}


def top_products(session: Session, period: Period, stores: list[Store], limit: int = TOP_PRODUCTS,
                 category_id: int | None = None) -> list[dict]:
    rows = sales_report(session, period=period, group_by="product", store_ids=[s.id for s in stores],
                        category_id=category_id).rows
    best = sorted(rows.items(), key=lambda item: (-item[1].revenue, item[0]))[:limit]
    names = labels(session, "product", [product_id for product_id, _f in best])
    return [{"product_id": product_id, "name": names.get(product_id, ""), "revenue": figures.revenue,
             "quantity": figures.quantity} for product_id, figures in best]


def expiry_exposure(entries: list[dict]) -> list[dict]:
    """Per store whose values at cost are visible: expired, expiring in 0–30, 31–60 and 61–90 days."""
    return [{"store_id": e["store_id"], "code": e["code"], "expired": e["expired_value"],
             "within_30": e["expiring_30_value"], "within_60": e["expiring_60_value"] - e["expiring_30_value"],
             "within_90": e["expiring_90_value"] - e["expiring_60_value"]}
            for e in entries if e["expired_value"] is not None]


def dashboard(session: Session, *, period: Period, stores: list[Store], cost_visible: set[int], today: date,
              now: datetime, category_id: int | None = None) -> dict:
    """The overview, and the charts' series; `category_id` narrows the top products to one category."""
    summary = overview(session, period=period, stores=stores, today=today, now=now, cost_visible=cost_visible)
    return {**summary, "charts": {"revenue_by_day": revenue_by_day(session, period, stores),
                                  "top_products": top_products(session, period, stores,
                                                               category_id=category_id),
                                  "expiry": expiry_exposure(summary["stores"])}}
