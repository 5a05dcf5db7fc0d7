"""The runner's v2 lane: opening balance first, asynchronous outcomes, restarts, rejections and unknown outcomes."""
from __future__ import annotations

from datetime import timedelta

from connectors.sandboxes.kit import FAULT_DROP_AFTER_STORE
from pharmacy.outbox.models import OutboxMessage


def _by_type(app, helpers, document_type):
    return [m for m in helpers["messages"](app) if m["type"] == document_type]


def _ready(app, world, helpers):
    helpers["link"](app, world["unlinked"], "893000000003", {"Viên": "VIEN"})


def test_sales_wait_for_the_opening_balance_to_complete_then_go(app, v2_store, docs, v2_sandbox, make_v2_runner,
                                                                  clock, v2_helpers):
    sales = [docs.sale(v2_store["store"], [(v2_store["drug"], "Viên", 2)]) for _ in range(3)]
    _ready(app, v2_store, v2_helpers)
    runner = make_v2_runner()
    runner.run_once()
    state = v2_sandbox.state
    assert [t.reason for t in state.transactions()] == ["opening-balance"]  # the sales wait
    opening = _by_type(app, v2_helpers, "opening_balance")[0]
    assert opening["status"] == "awaiting_result" and opening["remote_id"] == "TX00000001"
    v2_helpers["drain"](app, runner, clock)
    assert {m["status"] for m in v2_helpers["messages"](app)} == {"sent"}
    assert [t.status for t in state.transactions()] == ["completed"] * (1 + len(sales))
    for message in _by_type(app, v2_helpers, "sale"):
        assert state.count(message["number"]) == 1
        assert state.get(message["remote_id"]).reference_number == message["number"]


def test_a_held_opening_balance_holds_the_stores_sales_until_the_drug_is_linked(app, v2_store, docs, v2_sandbox,
                                                                                 make_v2_runner, clock, v2_helpers):
    docs.sale(v2_store["store"], [(v2_store["drug"], "Viên", 1)])
    runner = make_v2_runner()
    runner.run_once()
    opening, sale = _by_type(app, v2_helpers, "opening_balance")[0], _by_type(app, v2_helpers, "sale")[0]
    assert opening["status"] == "held" and "Berberin 100mg" in opening["last_error"]
    assert sale["status"] == "pending" and v2_sandbox.state.transactions() == []
    _ready(app, v2_store, v2_helpers)
    v2_helpers["drain"](app, runner, clock)
    assert [t.reason for t in v2_sandbox.state.transactions()] == ["opening-balance", "sale-retail"]


def test_a_restarted_runner_resumes_polling_instead_of_submitting_again(app, v2_store, v2_sandbox, make_v2_runner,
                                                                        clock, v2_helpers):
    _ready(app, v2_store, v2_helpers)
    first = make_v2_runner(worker_id="worker-1")
    first.run_once()
    first.close()  # the process stops while the opening balance is being processed nationally
    submitted = _by_type(app, v2_helpers, "opening_balance")[0]
    assert submitted["status"] == "awaiting_result"
    second = make_v2_runner(worker_id="worker-2")
    second.run_once()  # the first poll is not due yet: nothing happens
    assert v2_sandbox.state.get(submitted["remote_id"]).polls == 0
    v2_helpers["drain"](app, second, clock)
    final = _by_type(app, v2_helpers, "opening_balance")[0]
    assert (final["status"], final["remote_id"]) == ("sent", submitted["remote_id"])
    assert v2_sandbox.state.count(final["number"]) == 1


def test_a_worker_that_died_mid_submission_leaves_the_message_uncertain_not_resubmitted(app, v2_store, make_v2_runner,
                                                                                        clock, v2_helpers, v2_sandbox):
    from pharmacy.extensions import db

    _ready(app, v2_store, v2_helpers)
    with app.app_context():
        message = db.session.query(OutboxMessage).filter_by(document_type="opening_balance").one()
        message.status, message.lease_owner, message.lease_until = "sending", "dead", clock() - timedelta(seconds=1)
        db.session.commit()
    make_v2_runner().run_once()
    opening = _by_type(app, v2_helpers, "opening_balance")[0]
    assert (opening["status"], opening["outcome_unknown"]) == ("held", True)
    assert "check on the CSDL Dược portal" in opening["last_error"]
    assert v2_sandbox.state.transactions() == []


def test_a_lost_answer_waits_for_a_person_who_finds_it_and_the_store_goes_on(app, v2_store, docs, v2_sandbox,
                                                                                 v2_faults, make_v2_runner, clock,
                                                                                 v2_helpers, books):
    from connectors.sandboxes.csdl_duoc.simulator import ROUTE_SUBMIT

    _ready(app, v2_store, v2_helpers)
    docs.sale(v2_store["store"], [(v2_store["drug"], "Viên", 1)])
    v2_faults.push(FAULT_DROP_AFTER_STORE, route=ROUTE_SUBMIT)
    runner = make_v2_runner()
    for _ in range(3):
        runner.run_once()
        clock.advance(60)
    opening = _by_type(app, v2_helpers, "opening_balance")[0]
    assert (opening["status"], opening["outcome_unknown"]) == ("held", True)
    assert v2_sandbox.state.count(opening["number"]) == 1  # stored once, never submitted again
    assert v2_sandbox.state.transactions("stock-out") == []  # and the sales still wait
    response = books.api("owner").post(f"/api/v1/sync/messages/{opening['id']}/resolve",
                                       json={"resolution": "sent", "remote_id": "TX00000001"})
    assert response.status_code == 200, response.json
    assert (response.json["status"], response.json["remote_id"]) == ("awaiting_result", "TX00000001")
    v2_helpers["drain"](app, runner, clock)
    assert [t.status for t in v2_sandbox.state.transactions()] == ["completed", "completed"]


def test_resend_after_a_person_found_nothing_submits_it_once_more(app, v2_store, v2_sandbox, make_v2_runner, clock,
                                                                  v2_helpers, books):
    from pharmacy.extensions import db

    _ready(app, v2_store, v2_helpers)
    with app.app_context():
        message = db.session.query(OutboxMessage).filter_by(document_type="opening_balance").one()
        message.status, message.outcome_unknown = "held", True
        db.session.commit()
        message_id = message.id
    api = books.api("owner")
    assert api.post(f"/api/v1/sync/messages/{message_id}/resolve", json={"resolution": "maybe"}).status_code == 422
    assert api.post(f"/api/v1/sync/messages/{message_id}/resolve", json={"resolution": "resend"}).status_code == 200
    assert api.post(f"/api/v1/sync/messages/{message_id}/resolve", json={"resolution": "sent"}).status_code == 409
    v2_helpers["drain"](app, make_v2_runner(), clock)
    assert v2_sandbox.state.count("TDK-CH01-000001") == 1
    assert _by_type(app, v2_helpers, "opening_balance")[0]["status"] == "sent"


def test_a_rejection_shows_the_national_messages_and_goes_again_after_a_retry(app, v2_store, docs, v2_sandbox,
                                                                             make_v2_runner, clock, v2_helpers, books):
    _ready(app, v2_store, v2_helpers)
    v2_sandbox.state.force_outcome("TDK-CH01-000001", "rejected", ["items[0].batch_no: lô không hợp lệ"])
    runner = make_v2_runner()
    v2_helpers["drain"](app, runner, clock)
    opening = _by_type(app, v2_helpers, "opening_balance")[0]
    assert opening["status"] == "rejected" and "lô không hợp lệ" in opening["last_error"]
    assert opening["problems"] == [{"product": None, "field": "national", "reason": "items[0].batch_no: lô không hợp lệ"}]
    assert books.api("owner").post(f"/api/v1/sync/messages/{opening['id']}/retry").status_code == 200
    v2_helpers["drain"](app, runner, clock)
    assert _by_type(app, v2_helpers, "opening_balance")[0]["status"] == "sent"
    assert [t.status for t in v2_sandbox.state.transactions()] == ["rejected", "completed"]


def test_voids_return_a_completed_sale_and_cancel_an_unsent_one(app, v2_store, docs, v2_sandbox, make_v2_runner,
                                                                clock, v2_helpers):
    _ready(app, v2_store, v2_helpers)
    runner = make_v2_runner()
    reported = docs.sale(v2_store["store"], [(v2_store["drug"], "Vỉ", 1)])
    v2_helpers["drain"](app, runner, clock)
    unsent = docs.sale(v2_store["store"], [(v2_store["drug"], "Viên", 3)])
    docs.void(reported)
    docs.void(unsent)
    v2_helpers["drain"](app, runner, clock)
    by_number = {m["number"]: m for m in v2_helpers["messages"](app)}
    sales = [m for m in by_number.values() if m["type"] == "sale"]
    assert sorted(m["status"] for m in sales) == ["cancelled", "sent"]
    voids = sorted(m["status"] for m in by_number.values() if m["type"] == "sale_void")
    assert voids == ["cancelled", "sent"]
    returned = v2_sandbox.state.transactions("stock-in")[-1]
    sent_sale = next(m for m in sales if m["status"] == "sent")
    assert (returned.reason, returned.reference_number) == ("return", f"{sent_sale['number']}-VOID")
    assert v2_sandbox.state.count(next(m for m in sales if m["status"] == "cancelled")["number"]) == 0


def test_the_dashboard_shows_an_uncertain_submission_and_takes_the_persons_answer(app, v2_store, make_v2_runner,
                                                                                  v2_faults, clock, v2_helpers,
                                                                                  v2_sandbox):
    import re

    from connectors.sandboxes.csdl_duoc.simulator import ROUTE_SUBMIT

    _ready(app, v2_store, v2_helpers)
    v2_faults.push(FAULT_DROP_AFTER_STORE, route=ROUTE_SUBMIT)
    make_v2_runner().run_once()
    client = app.test_client()
    token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)
    client.post("/login", data={"username": "owner", "password": "secret-pass-1", "csrf_token": token})
    html = client.get("/sync").get_data(as_text=True)
    opening = _by_type(app, v2_helpers, "opening_balance")[0]
    assert "check on the CSDL Dược portal" in html and 'data-action="mark-sent"' in html
    client.post(f"/sync/messages/{opening['id']}/resolve",
                data={"csrf_token": token, "resolution": "sent", "remote_id": "TX00000001"})
    assert _by_type(app, v2_helpers, "opening_balance")[0]["status"] == "awaiting_result"
    v2_helpers["drain"](app, make_v2_runner(), clock)
    assert _by_type(app, v2_helpers, "opening_balance")[0]["status"] == "sent"
    assert v2_sandbox.state.count(opening["number"]) == 1
