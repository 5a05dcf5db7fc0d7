"""Ageing of a supplier debt (pure): payments settle the oldest credit receipts first; what stays open is bucketed
by its age in days."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

BUCKETS = (("0_30", 30), ("31_60", 60), ("61_90", 90), ("over_90", None))


@dataclass(frozen=True)
class Owed:
    receipt_id: int
    number: str
    on: date      # the supplier's invoice date, else the day the goods came in
    total: int


@dataclass(frozen=True)
class OpenItem:
    owed: Owed
    open: int
    age_days: int


def open_items(owed: list[Owed], paid: int, *, today: date) -> list[OpenItem]:
    """What is still open of each receipt once `paid` VND settled the oldest first."""
    items = []
    for item in sorted(owed, key=lambda o: (o.on, o.receipt_id)):
        settled = min(paid, item.total)
        paid -= settled
        if item.total - settled:
            items.append(OpenItem(item, item.total - settled, max((today - item.on).days, 0)))
    return items


def bucket_of(age_days: int) -> str:
    for name, limit in BUCKETS:
        if limit is None or age_days <= limit:
            return name
    raise AssertionError("unreachable")


def buckets(items: list[OpenItem]) -> dict[str, int]:
    totals = {name: 0 for name, _limit in BUCKETS}
    for item in items:
        totals[bucket_of(item.age_days)] += item.open
    return totals
