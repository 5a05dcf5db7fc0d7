"""Transfers on CSDL Dược v2: stock-out `transfer-out` at the source, stock-in `transfer-in` at the destination (what
arrived), and a cancelled transfer's goods back in at the source (v2 has no deletion) — against the sandbox."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from connectors.sandboxes.csdl_duoc.simulator import create_sandbox
from connectors.sandboxes.kit import ServedApp

from .conftest import PARA_ID, V2_FACILITY, V2_PASSWORD, V2_USER, national_drugs, switch_to_v2


@pytest.fixture
def v2_sandbox():
    simulator = create_sandbox({V2_USER: (V2_PASSWORD, V2_FACILITY), "user_ch02": (V2_PASSWORD, "CS-CH02")},
                               drugs=national_drugs(), polls_to_finish=2)
    served = ServedApp(simulator, threads=4)
    served.simulator, served.state = simulator, simulator.state
    yield served
    served.stop()


@pytest.fixture
def chain(app, books, v2_world, clock):
    destination = books.store("CH02", national_password=V2_PASSWORD)
    switch_to_v2(app, v2_world["store"], clock())
    switch_to_v2(app, destination, clock())
    return {**v2_world, "destination": destination}


def _owner_does(app, clock, fn):
    from pharmacy.extensions import db
    from pharmacy.stores.models import User

    with app.app_context():
        result = fn(db.session, db.session.query(User).filter_by(username="owner").one())
        db.session.commit()
        return result


def _dispatch(app, clock, chain, lines):
    from pharmacy.stores.models import Store
    from pharmacy.transfers.services import dispatch_transfer

    return _owner_does(app, clock, lambda s, owner: dispatch_transfer(
        s, source=s.get(Store, chain["store"]), destination=s.get(Store, chain["destination"]), lines=lines,
        actor=owner, now=clock()).id)


def _receive(app, clock, transfer_id, arrived):
    from pharmacy.transfers.models import Transfer
    from pharmacy.transfers.services import receive_transfer

    def run(s, owner):
        transfer = s.get(Transfer, transfer_id)
        lines = [{"transfer_line_id": line.id, "lot": a.lot, "quantity": arrived(a.quantity)}
                 for line in transfer.lines for a in line.allocations]
        receive_transfer(s, transfer, lines=lines, actor=owner, now=clock(), reason="Rách hộp")

    _owner_does(app, clock, run)


def _cancel(app, clock, transfer_id):
    from pharmacy.transfers.models import Transfer
    from pharmacy.transfers.services import cancel_transfer

    _owner_does(app, clock, lambda s, owner: cancel_transfer(s, s.get(Transfer, transfer_id), actor=owner,
                                                             now=clock()))


def _completed(v2_sandbox, facility):
    return {(t.kind, t.reference_number, t.reason): t for t in v2_sandbox.state.transactions(facility_code=facility)
            if t.status.lower() == "completed"}


def test_a_short_received_transfer_is_a_transfer_out_and_a_transfer_in_of_what_arrived(
        app, chain, v2_sandbox, make_v2_runner, clock, v2_helpers):
    v2_helpers["link"](app, chain["unlinked"], "893000000003", {"Viên": "VIEN"})
    lines = [{"product_id": chain["drug"], "unit": "Viên", "quantity": 5010},
             {"product_id": chain["device"], "unit": "Viên", "quantity": 2}]
    transfer = _dispatch(app, clock, chain, lines)
    _receive(app, clock, transfer, lambda sent: sent - 4 if sent == 10 else sent)
    v2_helpers["drain"](app, make_v2_runner(), clock)
    out = _completed(v2_sandbox, "CS-CH01")[("stock-out", "CK-CH01-000001", "transfer-out")]
    assert [(i["drug_id"], i["batch_no"], i["quantity"], i["price"]) for i in out.payload["items"]] == [
        (PARA_ID, "LOT-A", 5000, 400), (PARA_ID, "LOT-B", 10, 400)]
    assert "Cơ sở nhận: Nhà thuốc CH02 (CS-CH02)" in out.payload["note"]
    arrived = _completed(v2_sandbox, "CS-CH02")[("stock-in", "CK-CH01-000001", "transfer-in")]
    assert [(i["batch_no"], i["quantity"]) for i in arrived.payload["items"]] == [("LOT-A", 5000), ("LOT-B", 6)]
    assert "Cơ sở chuyển: Nhà thuốc CH01 (CS-CH01)" in arrived.payload["note"]
    statuses = {(m["type"], m["status"]) for m in v2_helpers["messages"](app) if m["type"].startswith("transfer")}
    assert statuses == {("transfer_out", "sent"), ("transfer_in", "sent")}


def test_a_cancelled_transfer_comes_back_in_at_the_source_once_its_transfer_out_completed(
        app, chain, v2_sandbox, make_v2_runner, clock, v2_helpers):
    v2_helpers["link"](app, chain["unlinked"], "893000000003", {"Viên": "VIEN"})
    runner = make_v2_runner()
    sent = _dispatch(app, clock, chain, [{"product_id": chain["drug"], "unit": "Hộp", "quantity": 2}])
    v2_helpers["drain"](app, runner, clock)
    _cancel(app, clock, sent)
    never = _dispatch(app, clock, chain, [{"product_id": chain["drug"], "unit": "Hộp", "quantity": 1}])
    _cancel(app, clock, never)
    v2_helpers["drain"](app, runner, clock)
    done = _completed(v2_sandbox, "CS-CH01")
    back = done[("stock-in", "CK-CH01-000001-HUY", "transfer-in")]
    assert [(i["batch_no"], i["quantity"]) for i in back.payload["items"]] == [("LOT-A", 200)]
    assert not any(reference.startswith("CK-CH01-000002") for _kind, reference, _reason in done)
    from pharmacy.extensions import db
    from pharmacy.outbox.models import OutboxMessage

    with app.app_context():
        rows = db.session.execute(select(OutboxMessage.document_number, OutboxMessage.document_type,
                                         OutboxMessage.status).where(OutboxMessage.document_type.like("transfer%"))
                                  .order_by(OutboxMessage.id)).all()
    assert [tuple(row) for row in rows] == [
        ("CK-CH01-000001", "transfer_out", "sent"), ("CK-CH01-000001", "transfer_cancel", "sent"),
        ("CK-CH01-000002", "transfer_out", "cancelled"), ("CK-CH01-000002", "transfer_cancel", "cancelled")]
