"""Server-rendered pages (Jinja): login, the counter and the back office."""
from __future__ import annotations

import os

from flask import Flask

from ..extensions import csrf, db, login_manager
from ..stores.models import User


def register(app: Flask) -> None:
    from ..api import counter, scan
    from . import (
        across_views, admin_views, backoffice, context, counter_views, minimums_views, owner_views, prescription_views,
        products, sync_views, views,
    )
    from .filters import register_filters

    login_manager.login_view = "web.login"
    login_manager.login_message = None

    @login_manager.user_loader
    def _load_user(user_id: str):
        uid, _, version = user_id.partition(":")
        user = db.session.get(User, int(uid)) if uid.isdigit() else None
        if user is None or not user.active or str(user.token_version) != version:
            return None
        return user

    # The counter's JSON endpoints (scan box, cart preview) live with the API; registered here with the pages.
    app.config.setdefault("SCAN_SEPARATORS", os.environ.get("SCAN_SEPARATORS", ""))  # printable GS stand-ins
    api = app.extensions["pharmacy.api"]
    for module in (scan, counter):
        csrf.exempt(module.blp)
        api.register_blueprint(module.blp)
    register_filters(app)
    app.context_processor(context.template_globals)
    for module in (views, counter_views, backoffice, products, sync_views, prescription_views, owner_views,
                   across_views, admin_views, minimums_views):
        app.register_blueprint(module.bp)
