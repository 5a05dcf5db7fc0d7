"""Switching a store to v2 queues its opening balance; real documents become the v2 transactions of the spec."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from connectors.csdl_duoc.mapping import to_transaction
from pharmacy.outbox.models import OutboxMessage

LOT_A, LOT_B = date.today() + timedelta(days=200), date.today() + timedelta(days=400)


def _message(app, document_type, number=None):
    from pharmacy.extensions import db

    with app.app_context():
        stmt = select(OutboxMessage).where(OutboxMessage.document_type == document_type)
        if number:
            stmt = stmt.where(OutboxMessage.document_number == number)
        message = db.session.execute(stmt.order_by(OutboxMessage.id.desc())).scalars().first()
        db.session.expunge_all()
        return message


def _payload(app, document_type, number=None):
    """The (kind, payload) the v2 lane would submit for the latest message of this type, built from the DB."""
    from connectors.sync.lanes.v2.snapshots import v2_snapshot_for
    from pharmacy.extensions import db

    with app.app_context():
        message = db.session.get(OutboxMessage, _message(app, document_type, number).id)
        result = to_transaction(v2_snapshot_for(db.session, message).doc)
        db.session.rollback()
        return result


def _number(app, model, document_id):
    from pharmacy.extensions import db

    with app.app_context():
        return db.session.get(model, document_id).number


def test_switching_to_v2_queues_the_stock_per_lot_as_an_opening_balance(app, v2_world, clock, v2_helpers):
    v2_helpers["switch"](app, v2_world["store"], clock())
    opening = _message(app, "opening_balance")
    assert (opening.status, opening.kind, opening.document_number) == ("pending", "opening_balance", "TDK-CH01-000001")
    v2_helpers["link"](app, v2_world["unlinked"], "893000000003", {"Viên": "VIEN"})
    kind, payload = _payload(app, "opening_balance")
    assert kind == "stock-in" and payload["reason"] == "opening-balance"
    assert payload["reference_number"] == "TDK-CH01-000001"
    assert payload["transaction_date"].endswith("+07:00")
    items = {(i["drug_id"], i["batch_no"]): i for i in payload["items"]}
    assert set(items) == {(drug, lot) for drug in ("893000000001", "893000000002", "893000000003")
                          for lot in ("LOT-A", "LOT-B")}  # the device is not reported
    assert items[("893000000001", "LOT-B")] | {"manufacturer": None} == {
        "drug_id": "893000000001", "unit_id": "VIEN", "quantity": 5000, "batch_no": "LOT-B",
        "expiry_date": LOT_B.isoformat(), "price": 400, "manufacturer": None}


def test_an_opening_balance_lists_every_drug_without_a_v2_id_for_a_person(app, v2_store):
    from connectors.documents import IncompleteDocumentError as MissingDataError

    with pytest.raises(MissingDataError) as raised:
        _payload(app, "opening_balance")
    assert {(p["product"], p["field"]) for p in raised.value.problems} == {("Berberin 100mg", "drug_id"),
                                                                           ("Berberin 100mg", "unit_id")}


def test_patch_to_v2_through_the_api_queues_once_and_back_to_legacy_cancels_the_unsent_balance(app, v2_world, books):
    owner = books.api("owner")
    store = v2_world["store"]
    assert owner.patch(f"/api/v1/stores/{store}", json={"national_api": "v2"}).status_code == 200
    assert owner.patch(f"/api/v1/stores/{store}", json={"name": "Nhà thuốc Hòa Bình"}).status_code == 200
    assert _message(app, "opening_balance").status == "pending"
    assert owner.patch(f"/api/v1/stores/{store}", json={"national_api": "legacy"}).status_code == 200
    opening = _message(app, "opening_balance")
    assert opening.status == "cancelled" and "legacy" in opening.last_error


def test_back_to_legacy_is_refused_once_something_reached_v2(app, v2_store, books):
    from pharmacy.extensions import db

    with app.app_context():
        message = db.session.get(OutboxMessage, _message(app, "opening_balance").id)
        message.status, message.remote_id = "awaiting_result", "TX1"
        db.session.commit()
    response = books.api("owner").patch(f"/api/v1/stores/{v2_store['store']}", json={"national_api": "legacy"})
    assert response.status_code == 409 and "national_api" in response.json["errors"]


def test_messages_written_before_the_switch_stay_with_the_legacy_api(app, v2_world, docs, clock, v2_helpers):
    from connectors.sync.scopes import legacy_scope, v2_scope
    from pharmacy.extensions import db

    before = docs.sale(v2_world["store"], [(v2_world["drug"], "Viên", 1)])
    v2_helpers["switch"](app, v2_world["store"], clock())
    after = docs.sale(v2_world["store"], [(v2_world["drug"], "Viên", 1)])
    with app.app_context():
        def numbers(scope):
            return set(db.session.execute(select(OutboxMessage.document_id).where(
                scope, OutboxMessage.document_type == "sale")).scalars())
        assert numbers(legacy_scope()) == {before}
        assert numbers(v2_scope()) == {after}


def test_a_sale_from_one_lot_is_a_retail_stock_out_in_the_unit_sold(app, v2_store, docs):
    docs.sale(v2_store["store"], [(v2_store["drug"], "Hộp", 2)])
    kind, payload = _payload(app, "sale")
    assert kind == "stock-out" and payload["reason"] == "sale-retail"
    assert payload["items"] == [{"drug_id": "893000000001", "unit_id": "HOP", "quantity": 2, "batch_no": "LOT-A",
                                 "expiry_date": LOT_A.isoformat(), "price": 48000}]
    assert payload["reference_number"].startswith("HD-CH01-")


def test_a_sale_across_two_lots_goes_per_lot_in_the_base_unit_with_its_gtin(app, v2_store, docs):
    from pharmacy.catalog.models import Barcode, ProductUnit
    from pharmacy.extensions import db

    with app.app_context():
        unit = db.session.execute(select(ProductUnit).where(ProductUnit.product_id == v2_store["drug"],
                                                            ProductUnit.name == "Viên")).scalars().one()
        unit.barcodes.append(Barcode(code="8930000000019"))
        db.session.commit()
    docs.sale(v2_store["store"], [(v2_store["drug"], "Viên", 5001)])
    _kind, payload = _payload(app, "sale")
    assert [(i["batch_no"], i["quantity"], i["unit_id"], i.get("gtin")) for i in payload["items"]] == [
        ("LOT-A", 5000, "VIEN", "8930000000019"), ("LOT-B", 1, "VIEN", "8930000000019")]


@pytest.mark.parametrize("kind, reason", [("supplier", "supplier"), ("opening", "opening-balance")])
def test_receipts_are_stock_ins_in_base_units(app, v2_store, docs, kind, reason):
    docs.receipt(v2_store["store"], kind, [(v2_store["drug"], "Hộp", 3, "N-1", LOT_B, 40000)])
    api_kind, payload = _payload(app, "receipt")
    assert (api_kind, payload["reason"]) == ("stock-in", reason)
    assert payload["items"][0] | {"manufacturer": None} == {
        "drug_id": "893000000001", "unit_id": "VIEN", "quantity": 300, "batch_no": "N-1",
        "expiry_date": LOT_B.isoformat(), "price": 400, "manufacturer": None}


def test_a_customer_return_is_a_stock_in_return(app, v2_store, docs):
    sale = docs.sale(v2_store["store"], [(v2_store["drug"], "Vỉ", 2)])
    docs.customer_return(sale, 5)
    kind, payload = _payload(app, "customer_return")
    assert (kind, payload["reason"]) == ("stock-in", "return")
    assert [(i["quantity"], i["unit_id"], i["batch_no"]) for i in payload["items"]] == [(5, "VIEN", "LOT-A")]


@pytest.mark.parametrize("kind, reason", [("destruction", "destroy"), ("return_to_supplier", "return"),
                                          ("recall_return", "recall")])
def test_issues_are_stock_outs(app, v2_store, docs, kind, reason):
    lot = docs.lots(v2_store["drug"])[0]
    docs.issue(v2_store["store"], kind, [(lot, 7, 400)], receiver_name="Công ty Dược A")
    api_kind, payload = _payload(app, "issue")
    assert (api_kind, payload["reason"]) == ("stock-out", reason)
    assert [(i["quantity"], i["unit_id"]) for i in payload["items"]] == [(7, "VIEN")]


def test_a_void_after_a_partial_return_returns_only_what_was_left(app, v2_store, docs):
    from pharmacy.sales.models import Sale

    sale = docs.sale(v2_store["store"], [(v2_store["drug"], "Vỉ", 2)])
    docs.customer_return(sale, 5)
    docs.void(sale)
    kind, payload = _payload(app, "sale_void")
    number = _number(app, Sale, sale)
    assert (kind, payload["reason"], payload["reference_number"]) == ("stock-in", "return", f"{number}-VOID")
    assert number in payload["note"]
    assert [(i["quantity"], i["unit_id"], i["batch_no"]) for i in payload["items"]] == [(15, "VIEN", "LOT-A")]


def test_return_to_supplier_from_a_recall_is_a_stock_out_recall(app, v2_store, docs):
    from pharmacy.clock import utcnow
    from pharmacy.extensions import db
    from pharmacy.recalls.returns import return_recalled_stock
    from pharmacy.recalls.services import create_recall
    from pharmacy.stores.models import Store, User

    with app.app_context():
        actor = db.session.query(User).filter_by(username="owner").one()
        recall = create_recall(db.session, actor=actor, now=utcnow(), data={
            "decision_number": "55/QĐ-QLD", "decision_date": date.today(), "level": 2,
            "product_id": v2_store["drug"], "lots": ["LOT-A"], "reason": "Không đạt định lượng"})
        return_recalled_stock(db.session, recall, store=db.session.get(Store, v2_store["store"]),
                              receiver_name="Công ty Dược A", actor=actor, now=utcnow())
        db.session.commit()
    api_kind, payload = _payload(app, "issue")
    assert (api_kind, payload["reason"]) == ("stock-out", "recall")
    assert "55/QĐ-QLD" in payload["note"] and "Công ty Dược A" in payload["note"]
    assert [(i["quantity"], i["batch_no"]) for i in payload["items"]] == [(5000, "LOT-A")]
