"""The sync dashboard: what reached the national drug database, what did not and why, and a way to resend."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from connectors.sync.scheduler import wake
from connectors.sync.verify import resend_if_absent

from ..clock import local_date, utcnow
from ..errors import DomainError
from ..extensions import db
from ..outbox import queries, services
from ..outbox.services import STATUS_NAMES
from ..presenters.messages import error_text
from ..presenters.sync import present
from ..stores.models import Store
from ..stores.services import accessible_store_ids

bp = Blueprint("sync_web", __name__)


def _store_ids():
    return accessible_store_ids(current_user.user)


@bp.route("/sync")
@login_required
def dashboard():
    store_ids = _store_ids()
    stores = {store.id: store for store in db.session.execute(db.select(Store)).scalars()
              if store_ids is None or store.id in store_ids}
    attention = []
    for status in ("rejected", "held"):
        attention += queries.list_messages(db.session, store_ids, status=status, per_page=200)[0]
    shown = request.args.get("sent", "50")
    shown = min(int(shown), 200) if shown.isdigit() and int(shown) > 0 else 50
    sent = queries.list_messages(db.session, store_ids, status="sent", per_page=shown)[0]
    cancelled = queries.list_messages(db.session, store_ids, status="cancelled", per_page=shown)[0]
    return render_template("sync/index.html", summary=queries.summary(db.session, store_ids, utcnow()),
                           store_by_id=stores, attention=attention, sent=sent, cancelled=cancelled,
                           statuses=tuple(STATUS_NAMES))


@bp.app_template_filter("sync_notices")
def sync_notices(message) -> list[dict]:
    """The notes and problems of an outbox message as sentences with a link to the fix (also on the sale page)."""
    return present(message)


def _dashboard(_message) -> str:
    return url_for("sync_web.dashboard")


def _its_day(message) -> str:
    """The reconciliation of the day the message's document was written."""
    return url_for("einvoice_web.day_reconciliation", date=local_date(message.created_at).isoformat())


def _act_on(message_id: int, change, done: str, back=_dashboard):
    """Change one message as a person asked (`change(message)`), commit, wake the sync and say `done` of it; a
    refusal is said instead and nothing is written. Then back to where the person was (`back(message)`)."""
    message = queries.get_message(db.session, message_id, _store_ids())
    page = back(message)  # read before the change: a refusal rolls the session back
    try:
        change(message)
        db.session.commit()
        wake(_app())
        flash(done % {"number": message.document_number})
    except DomainError as error:
        db.session.rollback()
        flash(error_text(error))
    return redirect(page)


@bp.route("/sync/messages/<int:message_id>/retry", methods=["POST"])
@login_required
def retry(message_id):
    return _act_on(message_id, lambda message: services.retry_message(db.session, message, utcnow()),
                   _("%(number)s will be sent again."))


@bp.route("/sync/messages/<int:message_id>/resend-lost", methods=["POST"])
@login_required
def resend_lost(message_id):
    """The reconciliation's "not found on the national side": asked again, then sent again; back to that day."""
    return _act_on(message_id, lambda message: resend_if_absent(
        db.session, message, settings=current_app.config, vault=current_app.extensions["pharmacy.vault"](),
        actor=current_user.username, now=utcnow()),
        _("%(number)s will be sent again."), back=_its_day)


@bp.route("/sync/messages/<int:message_id>/resolve", methods=["POST"])
@login_required
def resolve(message_id):
    """A person found an uncertain v2 submission on the national portal (with its transaction id, it is followed)."""
    return _act_on(message_id, lambda message: services.resolve_uncertain(
        db.session, message, resolution="sent", remote_id=request.form.get("remote_id", "")[:100],
        actor=current_user.username, now=utcnow()),
        _("%(number)s is recorded as found on the national portal."))


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
