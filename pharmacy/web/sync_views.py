"""The sync dashboard: what reached the national drug database, what did not and why, and a way to resend."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from connectors.sync import services, v2_services
from connectors.sync.scheduler import wake

from ..api.pagination import MAX_PER_PAGE
from ..clock import utcnow
from ..errors import DomainError
from ..extensions import db
from ..stores.models import Store
from ..stores.services import accessible_store_ids

bp = Blueprint("sync_web", __name__)


def _store_ids():
    return accessible_store_ids(current_user)


@bp.route("/sync")
@login_required
def dashboard():
    store_ids = _store_ids()
    stores = {store.id: store for store in db.session.execute(db.select(Store)).scalars()
              if store_ids is None or store.id in store_ids}
    attention = []
    for status in ("rejected", "held"):
        attention += services.list_messages(db.session, store_ids, status=status, per_page=200)[0]
    sent, _total = services.list_messages(db.session, store_ids, status="sent", per_page=min(max(request.args.get(
        "sent", 50, type=int), 1), MAX_PER_PAGE))
    return render_template("sync/index.html", summary=services.summary(db.session, store_ids, utcnow()),
                           stores=stores, attention=attention, sent=sent)


@bp.route("/sync/messages/<int:message_id>/retry", methods=["POST"])
@login_required
def retry(message_id):
    try:
        message = services.retry_message(db.session, services.get_message(db.session, message_id, _store_ids()),
                                         utcnow())
        db.session.commit()
        wake(_app())
        flash(_("%(number)s will be sent again.", number=message.document_number))
    except DomainError as error:
        db.session.rollback()
        flash(error.message)
    return redirect(url_for("sync_web.dashboard"))


@bp.route("/sync/messages/<int:message_id>/resolve", methods=["POST"])
@login_required
def resolve(message_id):
    """A person found an uncertain v2 submission on the national portal (with its transaction id, it is followed)."""
    try:
        message = v2_services.resolve_uncertain(
            db.session, services.get_message(db.session, message_id, _store_ids()), resolution="sent",
            remote_id=request.form.get("remote_id", "")[:100], actor=current_user.username, now=utcnow())
        db.session.commit()
        wake(_app())
        flash(_("%(number)s is recorded as found on the national portal.", number=message.document_number))
    except DomainError as error:
        db.session.rollback()
        flash(error.message)
    return redirect(url_for("sync_web.dashboard"))


@bp.route("/sync/run", methods=["POST"])
@login_required
def run():
    count = services.send_now(db.session, _store_ids(), utcnow())
    db.session.commit()
    wake(_app())
    flash(_("Sending now (%(count)s waiting documents).", count=count))
    return redirect(url_for("sync_web.dashboard"))


def _app():
    from flask import current_app

    return current_app._get_current_object()
