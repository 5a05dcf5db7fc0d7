"""Server-rendered pages (Jinja): login, the counter and the back office."""
from __future__ import annotations

from flask import Flask, current_app, send_from_directory

from ..extensions import db, login_manager
from ..stores.models import User
from .login import SignedIn


def register(app: Flask) -> None:
    from . import (
        account,
        across_views,
        admin_views,
        backoffice,
        book_views,
        category_views,
        context,
        count_views,
        counter_views,
        customer_views,
        einvoice_views,
        minimums_views,
        owner_views,
        payment_views,
        prescription_views,
        price_views,
        products,
        recall_views,
        shift_views,
        supplier_views,
        sync_views,
        transfer_views,
        views,
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
        return SignedIn(user) if account.session_is_live(user) else None  # logout deleted the server-side session

    register_filters(app)
    app.context_processor(context.template_globals)
    for module in (views, account, counter_views, backoffice, products, sync_views, prescription_views, owner_views,
                   across_views, admin_views, minimums_views, transfer_views, count_views, recall_views, shift_views,
                   supplier_views, payment_views, customer_views, book_views, category_views, price_views,
                   einvoice_views):
        app.register_blueprint(module.bp)
    app.add_url_rule("/favicon.ico", "favicon", favicon)


def favicon():
    """Browsers ask for /favicon.ico on every page, whatever the page links."""
    return send_from_directory(current_app.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon",
                               max_age=86400)
