"""What every page needs: the store the user works in now, and the strings the counter's JS shows."""
from __future__ import annotations

from flask import abort, g, session
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..stores.models import Store
from .nav import navigation


def my_stores() -> list[Store]:
    """Stores the signed-in user may work in (owners: every active store); read once per request."""
    if "my_stores" not in g:
        if current_user.is_owner:
            g.my_stores = list(db.session.execute(
                db.select(Store).where(Store.active.is_(True)).order_by(Store.code)).scalars())
        else:
            g.my_stores = [store for store in current_user.stores if store.active]
    return g.my_stores


def current_store() -> Store:
    """The store chosen in the top bar (kept in the session), else the first one the user may use.

    Pages call it many times (base.html inside its store loop): it is decided once per request.
    """
    if "current_store" not in g:
        stores = my_stores()
        if not stores:
            abort(403)
        wanted = session.get("store_id")
        g.current_store = next((store for store in stores if store.id == wanted), stores[0])
    return g.current_store


def payment_label(method: str) -> str:
    labels = {"cash": _("Cash"), "bank_transfer": _("Bank transfer"), "card": _("Card")}
    return labels.get(method, method)


def template_globals() -> dict:
    if not current_user.is_authenticated:
        return {"get_locale": get_locale}
    return {"get_locale": get_locale, "my_stores": my_stores, "current_store": current_store,
            "payment_label": payment_label, "navigation": navigation}
