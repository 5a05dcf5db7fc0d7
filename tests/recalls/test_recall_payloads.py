"""The goods issue posted from a recall page, as each national API receives it: legacy `phieu_xuat` loai 2 (return to
supplier) with the decision in the reason; v2 stock-out reason `recall`. Both pass their sandbox's validation."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from connectors.csdl_duoc.mapping import to_transaction
from connectors.nationaldb.payloads import issue_payload
from connectors.sandboxes.csdl_duoc.rules import validate_submission
from connectors.sandboxes.nationaldb.rules import validate_document
from connectors.sync.lanes.v2.snapshots import v2_snapshot_for
from connectors.sync.snapshots import snapshot_for
from pharmacy.outbox.models import OutboxMessage
from tests.v2.conftest import link_product

DECISION = "77/QĐ-QLD"


def _recall_return(shop):
    owner = shop["owner"]
    recall = owner.post("/api/v1/recalls", json={
        "decision_number": DECISION, "decision_date": date.today().isoformat(), "level": 1,
        "product_id": shop["product"], "lots": ["SOON"], "reason": "Nhiễm nấm mốc"}).json
    issue = owner.post(f"/api/v1/recalls/{recall['id']}/return",
                       json={"store_id": shop["store"], "receiver_name": "Công ty Dược phẩm A"})
    assert issue.status_code == 201, issue.json
    return issue.json


def _doc(app, number, build=snapshot_for):
    from pharmacy.extensions import db

    with app.app_context():
        message = db.session.execute(select(OutboxMessage).where(OutboxMessage.document_number == number)).scalar_one()
        assert (message.kind, message.document_type) == ("issue", "issue")
        doc = build(db.session, message).doc
        db.session.rollback()
        return doc


def test_legacy_payload_is_a_return_to_supplier_naming_the_decision(app, shop):
    issue = _recall_return(shop)
    payload = issue_payload(_doc(app, issue["number"]))
    assert payload["loai_phieu_xuat"] == 2 and payload["ten_co_so_nhan"] == "Công ty Dược phẩm A"
    assert DECISION in payload["ghi_chu"] and "Nhiễm nấm mốc" in payload["ghi_chu"]
    assert [(line["so_lo"], line["so_luong"]) for line in payload["chi_tiet"]] == [("SOON", 20)]
    assert validate_document("phieu_xuat", payload) == []


def test_v2_transaction_is_a_stock_out_recall(app, shop):
    link_product(app, shop["product"], "893000000001", {"Viên": "VIEN", "Vỉ": "VI", "Hộp": "HOP"})
    issue = _recall_return(shop)
    kind, payload = to_transaction(_doc(app, issue["number"], v2_snapshot_for))
    assert (kind, payload["reason"], payload["reference_number"]) == ("stock-out", "recall", issue["number"])
    assert DECISION in payload["note"]
    assert validate_submission(kind, payload) == []
