"""Hundreds of documents through ~30 % injected faults on v2: each one completes exactly once at the sandbox."""
from __future__ import annotations

import random
import time
from datetime import date, timedelta

from connectors.sandboxes.csdl_duoc.simulator import ROUTE_LOGIN
from connectors.sandboxes.kit import TRANSIENT_FAULTS

HANG_SECONDS = 0.5


def _make_documents(world, docs, rng, count):
    sales, lots = [], docs.lots(world["drug"])
    for i in range(count):
        roll = rng.random()
        if roll < 0.6:
            lines = [(world["drug"], rng.choice(["Viên", "Vỉ"]), rng.randint(1, 2))]
            if rng.random() < 0.2:
                lines.append((world["device"], "Viên", 1))
            sales.append(docs.sale(world["store"], lines))
        elif roll < 0.8:
            docs.receipt(world["store"], "supplier",
                         [(world["drug"], "Hộp", 1, f"M{i}", date.today() + timedelta(days=300 + i % 300), 40000)])
        elif roll < 0.9 and sales:
            docs.customer_return(rng.choice(sales), 1)
        else:
            docs.issue(world["store"], rng.choice(["destruction", "return_to_supplier"]), [(lots[1], 1, 400)],
                       receiver_name="Công ty Dược A", note="Hủy / trả hàng")
    return sales


def _act_as_the_person(app, state, helpers):
    """For each uncertain message, look on the 'portal' (the sandbox) and answer as a pharmacist would."""
    from pharmacy.clock import utcnow
    from pharmacy.extensions import db
    from pharmacy.outbox.models import OutboxMessage
    from pharmacy.outbox.services import resolve_uncertain

    time.sleep(HANG_SECONDS)  # a hung submission the client gave up on lands before anyone looks
    resolved = 0
    with app.app_context():
        for message in db.session.query(OutboxMessage).filter_by(status="held", outcome_unknown=True):
            reference = message.document_number + ("-VOID" if message.document_type == "sale_void" else "")
            found = [t for t in state.transactions() if t.reference_number == reference]
            resolution = "sent" if found else "resend"
            resolve_uncertain(db.session, message, resolution=resolution, actor="owner", now=utcnow(),
                              remote_id=found[0].transaction_id if found else None)
            resolved += 1
        db.session.commit()
    return resolved


def test_a_mixed_run_under_faults_completes_every_document_exactly_once(app, v2_store, docs, v2_sandbox, v2_faults,
                                                                         make_v2_runner, clock, v2_helpers,
                                                                         monkeypatch):
    v2_helpers["link"](app, v2_store["unlinked"], "893000000003", {"Viên": "VIEN"})
    rng = random.Random(7)
    sales = _make_documents(v2_store, docs, rng, 300)
    voided_early = rng.sample(sales, 15)
    for sale in voided_early:
        docs.void(sale)
    original_take = v2_faults.take
    monkeypatch.setattr(v2_faults, "take", lambda route: None if route == ROUTE_LOGIN else original_take(route))
    v2_faults.rate, v2_faults.random_faults = 0.3, TRANSIENT_FAULTS
    state = v2_sandbox.state
    runner = make_v2_runner()
    runner.run_once(max_seconds=3)
    for sale in rng.sample([s for s in sales if s not in voided_early], 15):  # more while documents are on their way
        docs.void(sale)
    for _round in range(6):
        try:
            v2_helpers["drain"](app, runner, clock, max_passes=40, max_seconds=120)
        except AssertionError:
            pass
        if not _act_as_the_person(app, state, v2_helpers):
            break
    v2_faults.rate = 0.0
    v2_helpers["drain"](app, runner, clock, max_seconds=120)

    messages = [m for m in v2_helpers["messages"](app) if m["remote_id"] != "legacy"]  # the v2 period only
    assert len(messages) > 300
    assert {m["status"] for m in messages} <= {"sent", "cancelled"}, [(m["number"], m["last_error"]) for m in messages
                                                                      if m["status"] not in ("sent", "cancelled")]
    assert len(v2_faults.injected) > 100  # the faults really happened
    completed = [t for t in state.transactions() if t.status == "completed"]
    references = [t.reference_number for t in completed]
    assert len(references) == len(set(references))  # nothing doubled
    for message in messages:
        reference = message["number"] + ("-VOID" if message["type"] == "sale_void" else "")
        expected = 1 if message["status"] == "sent" else 0
        assert references.count(reference) == expected, message
        if message["status"] == "sent":
            assert state.get(message["remote_id"]).reference_number == reference
    assert not [t for t in state.transactions() if t.status != "completed"]  # nothing rejected on the way
