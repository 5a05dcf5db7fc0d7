"""An approved stock count is a v2 `stock-taking` with system and actual quantities per lot, accepted by the
sandbox; on the legacy API it is recorded locally only (the message says so)."""
from __future__ import annotations

from sqlalchemy import select

from .conftest import PARA_ID


def _approved_count(app, clock, store_id, product_id, counted, *, quarantine=None):
    """`counted`: lot → Viên on the shelf; `quarantine`: (lot, Viên put apart before the count, Viên counted)."""
    from pharmacy.counts.services import approve_count, record_counts, start_count, submit_count
    from pharmacy.extensions import db
    from pharmacy.stock.quarantine import move_state
    from pharmacy.stores.models import Store, User

    with app.app_context():
        owner = db.session.query(User).filter_by(username="owner").one()
        if quarantine:
            lot, held, _counted = quarantine
            move_state(db.session, store_id=store_id, to_state="quarantine", actor=owner, now=clock(), lines=[
                {"product_id": product_id, "lot": lot, "quantity": held, "reason": "Hộp móp"}])
        count = start_count(db.session, store=db.session.get(Store, store_id), scope="products",
                            product_ids=[product_id], actor=owner, now=clock())
        record_counts(db.session, count, actor=owner, lines=[
            {"product_id": product_id, "lot": lot, "unit": "Viên", "quantity": quantity}
            for lot, quantity in counted.items()] + ([
            {"product_id": product_id, "lot": quarantine[0], "unit": "Viên", "quantity": quarantine[2],
             "state": "quarantine"}] if quarantine else []))
        submit_count(db.session, count, actor=owner, now=clock())
        approve_count(db.session, count, actor=owner, now=clock())
        db.session.commit()
        return count.number


def test_an_approved_count_is_a_stock_taking_the_sandbox_completes(app, v2_store, v2_sandbox, make_v2_runner, clock,
                                                                   v2_helpers):
    v2_helpers["link"](app, v2_store["unlinked"], "893000000003", {"Viên": "VIEN"})
    number = _approved_count(app, clock, v2_store["store"], v2_store["drug"], {"LOT-A": 4990, "LOT-B": 5000})
    v2_helpers["drain"](app, make_v2_runner(), clock)
    [taking] = v2_sandbox.state.transactions(kind="stock-taking")
    assert taking.status.lower() == "completed" and taking.payload["reference_number"] == number
    items = {i["batch_no"]: (i["drug_id"], i["system_quantity"], i["actual_quantity"], i["quantity"])
             for i in taking.payload["items"]}
    assert items == {"LOT-A": (PARA_ID, 5000, 4990, 4990), "LOT-B": (PARA_ID, 5000, 5000, 5000)}
    [message] = [m for m in v2_helpers["messages"](app) if m["type"] == "stock_count"]
    assert message["status"] == "sent"


def test_a_lot_counted_in_both_states_is_one_lot_in_the_stock_taking(app, v2_store, v2_sandbox, make_v2_runner,
                                                                      clock, v2_helpers):
    v2_helpers["link"](app, v2_store["unlinked"], "893000000003", {"Viên": "VIEN"})
    _approved_count(app, clock, v2_store["store"], v2_store["drug"], {"LOT-A": 4000, "LOT-B": 5000},
                    quarantine=("LOT-A", 1000, 990))
    v2_helpers["drain"](app, make_v2_runner(), clock)
    [taking] = v2_sandbox.state.transactions(kind="stock-taking")
    assert taking.status.lower() == "completed"
    items = sorted((i["batch_no"], i["system_quantity"], i["actual_quantity"]) for i in taking.payload["items"])
    assert items == [("LOT-A", 5000, 4990), ("LOT-B", 5000, 5000)]


def test_on_the_legacy_api_a_count_is_local_only(app, v2_world, clock):
    from connectors.sync.lanes.legacy.plans import plan_message
    from pharmacy.extensions import db
    from pharmacy.outbox.models import OutboxMessage

    _approved_count(app, clock, v2_world["store"], v2_world["drug"], {"LOT-A": 5000, "LOT-B": 4000})
    with app.app_context():
        message = db.session.execute(select(OutboxMessage).where(OutboxMessage.document_type == "stock_count")
                                     ).scalar_one()
        plan = plan_message(db.session, message)
        assert plan.job is None and plan.decision.status == "cancelled"
        assert plan.decision.message == "the legacy API has no such document: recorded locally only"
