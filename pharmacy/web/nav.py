"""The top navigation: five groups of links (sales, stock, reports, compliance, administration) as data.

A new page adds one `NavItem` to its group; a group with no link the user may open is not shown."""
from __future__ import annotations

from dataclasses import dataclass

from flask import request, url_for
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object  # a lazy translated string
    key: str = ""  # Alt+<key> opens it
    owners_only: bool = False


@dataclass(frozen=True)
class NavGroup:
    id: str
    label: object
    items: tuple[NavItem, ...]


GROUPS: tuple[NavGroup, ...] = (
    NavGroup("sell", _l("Selling"), (
        NavItem("pos.counter", _l("Sales counter"), "1"),
        NavItem("backoffice.sales", _l("Sales list"), "5"),
        NavItem("shifts_web.index", _l("Cash shift")),
        NavItem("customers_web.index", _l("Customers")),
        NavItem("payments_web.reconciliation", _l("Transfers to reconcile")),
    )),
    NavGroup("stock", _l("Inventory"), (
        NavItem("backoffice.new_receipt", _l("Goods receipt"), "2"),
        NavItem("backoffice.stock", _l("Stock on hand"), "3"),
        NavItem("catalog.index", _l("Products"), "4"),
        NavItem("categories_web.index", _l("Product categories"), owners_only=True),
        NavItem("across.index", _l("Stock across stores")),
        NavItem("minimums.index", _l("Minimum stock")),
        NavItem("transfers_web.index", _l("Transfers")),
        NavItem("counts_web.index", _l("Stock counts")),
        NavItem("suppliers_web.index", _l("Suppliers"), owners_only=True),
    )),
    NavGroup("reports", _l("Reports"), (
        NavItem("owner.dashboard", _l("Dashboard")),
        NavItem("owner.reports", _l("Reports")),
    )),
    NavGroup("compliance", _l("Compliance"), (
        NavItem("prescriptions_web.book", _l("Prescription book"), "6"),
        NavItem("recalls_web.index", _l("Recalls")),
        NavItem("books_web.index", _l("Record books")),
        NavItem("sync_web.dashboard", _l("National sync")),
        NavItem("einvoice_web.day_reconciliation", _l("End-of-day reconciliation")),
    )),
    NavGroup("admin", _l("Administration"), (
        NavItem("admin.stores", _l("Stores"), owners_only=True),
        NavItem("admin.users", _l("Staff"), owners_only=True),
        NavItem("prices_web.index", _l("Store prices"), owners_only=True),
        NavItem("account.staff", _l("Staff passwords"), owners_only=True),
        NavItem("api-docs.openapi_swagger_ui", _l("API documentation"), owners_only=True),
    )),
)


def navigation(user) -> list[dict]:
    """The groups this user sees, each with its links (label, href, Alt key, current page or not)."""
    shown = []
    for group in GROUPS:
        items = [
            {"label": item.label, "href": url_for(item.endpoint), "key": item.key,
             "current": request.endpoint == item.endpoint}
            for item in group.items if user.is_owner or not item.owners_only
        ]
        if items:
            shown.append({"id": group.id, "label": group.label, "items": items,
                          "current": any(item["current"] for item in items)})
    return shown
