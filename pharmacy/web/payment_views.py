"""The counter's bank transfer: the VietQR drawn as SVG, and in SANDBOX MODE a bank that "pays" it by sending
the bank feed's notification to our own webhook (the same path, key and matching as a real bank feed)."""
from __future__ import annotations

import io
import secrets

import segno
from flask import Blueprint, Response, abort, current_app, render_template
from flask_login import current_user, login_required
from sqlalchemy import select

from ..extensions import db
from ..payments.models import TO_RECONCILE, BankNotification
from ..stores.services import accessible_store_ids
from .counter_views import sale_for_page

bp = Blueprint("payments_web", __name__)


@bp.route("/sales/<int:sale_id>/vietqr.svg")
@login_required
def vietqr(sale_id: int):
    sale = sale_for_page(sale_id)
    if not sale.payment_qr:
        abort(404)
    out = io.BytesIO()
    segno.make(sale.payment_qr, error="m", micro=False).save(out, kind="svg", scale=6, border=4)
    return Response(out.getvalue(), mimetype="image/svg+xml", headers={"Cache-Control": "private, no-store"})


@bp.route("/sales/<int:sale_id>/sandbox-bank", methods=["POST"])
@login_required
def sandbox_bank(sale_id: int):
    """SANDBOX MODE only: the customer's bank pays the QR's amount with its memo (a bank code glued on)."""
    config = current_app.config
    if not config.get("SANDBOX_MODE") or not config.get("BANK_WEBHOOK_KEY"):
        abort(404)
    sale = sale_for_page(sale_id)
    if not sale.payment_memo:
        abort(404)
    body = {"id": f"sandbox-{secrets.token_hex(8)}", "gateway": "SandboxBank", "accountNumber": "",
            "transactionDate": "", "content": f"MBVCB.{secrets.randbelow(10**6)}.{sale.payment_memo}.CT",
            "transferType": "in", "transferAmount": sale.total, "referenceCode": "SANDBOX"}
    answer = current_app.test_client().post("/api/v1/payments/bank-notifications", json=body,
                                            headers={"Authorization": f"Apikey {config['BANK_WEBHOOK_KEY']}"})
    return Response(answer.get_data(), status=answer.status_code, mimetype="application/json")


@bp.route("/payments/reconciliation")
@login_required
def reconciliation():
    """Transfers the bank feed could not settle: wrong amount, unknown memo (owners), late; newest first."""
    stmt = select(BankNotification).where(BankNotification.outcome.in_(TO_RECONCILE))
    store_ids = accessible_store_ids(current_user.user)
    if store_ids is not None:
        stmt = stmt.where(BankNotification.store_id.in_(store_ids))
    rows = db.session.execute(stmt.order_by(BankNotification.id.desc()).limit(200)).scalars().all()
    return render_template("reconciliation.html", rows=rows)
