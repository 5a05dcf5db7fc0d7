"""A prescription sold by bank transfer (issue 16): its dispensing reports, like its invoice, wait until paid."""
from __future__ import annotations

from sqlalchemy import select

from connectors.sandboxes.eprescription.prescriptions import ORDINARY_CODE
from tests.payments.test_bank_transfers_api import KEY, feed, notify

from .conftest import fill_cart


def test_a_prescription_sold_by_transfer_reports_its_dispensing_once_paid(rx_app, rx_shop, lookup, sell):
    rx_app.config["BANK_WEBHOOK_KEY"] = KEY
    rx_shop["owner"].patch(f"/api/v1/stores/{rx_shop['store']}", json={"bank_bin": "970436",
                                                                       "bank_account": "0011004455667"})
    sold = sell(fill_cart(lookup(ORDINARY_CODE).json), {"national_code": ORDINARY_CODE},
                payment_method="bank_transfer")
    assert sold.status_code == 201 and sold.json["payment"]["status"] == "awaiting_payment", sold.json
    assert reports(rx_app, sold.json["id"]) == []
    assert notify(rx_app, feed(77, sold.json["payment"]["memo"], sold.json["total"])).status_code == 200
    assert reports(rx_app, sold.json["id"]) == ["eprescription", "health_data", "national_drug_db"]


def reports(app, sale_id):
    from pharmacy.extensions import db
    from pharmacy.outbox.models import OutboxMessage

    with app.app_context():
        return sorted(db.session.scalars(select(OutboxMessage.target).where(
            OutboxMessage.document_type == "sale", OutboxMessage.document_id == sale_id)))
