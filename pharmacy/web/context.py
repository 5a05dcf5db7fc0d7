"""What every page needs: the store the user works in now, and the strings the counter's JS shows."""
from __future__ import annotations

from flask import abort, session
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..stores.models import Store
from .nav import navigation


def my_stores() -> list[Store]:
    """Stores the signed-in user may work in (owners: every active store)."""
    if current_user.is_owner:
        return list(db.session.execute(db.select(Store).where(Store.active.is_(True)).order_by(Store.code)).scalars())
    return [store for store in current_user.stores if store.active]


def current_store() -> Store:
    """The store chosen in the top bar (kept in the session), else the first one the user may use."""
    stores = my_stores()
    if not stores:
        abort(403)
    wanted = session.get("store_id")
    return next((store for store in stores if store.id == wanted), stores[0])


def payment_label(method: str) -> str:
    labels = {"cash": _("Cash"), "bank_transfer": _("Bank transfer"), "card": _("Card")}
    return labels.get(method, method)


def template_globals() -> dict:
    if not current_user.is_authenticated:
        return {"get_locale": get_locale}
    return {"get_locale": get_locale, "my_stores": my_stores, "current_store": current_store,
            "payment_label": payment_label, "navigation": navigation}
