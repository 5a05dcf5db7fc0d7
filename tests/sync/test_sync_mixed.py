"""Five hundred documents through ~30 % injected faults: each arrives exactly once, voided sales end deleted."""
from __future__ import annotations

import random
from datetime import date, timedelta
from types import SimpleNamespace

from sqlalchemy import select

from connectors.sandboxes.kit import TRANSIENT_FAULTS
from pharmacy.outbox.models import OutboxMessage

API_KINDS = {"sale": "hoa_don", "receipt": "phieu_nhap", "customer_return": "phieu_nhap", "issue": "phieu_xuat"}


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
            docs.receipt(world["store"], rng.choice(["supplier", "opening"]),
                         [(world["drug"], "Hộp", 1, f"M{i}", date.today() + timedelta(days=300 + i % 300), 40000)])
        elif roll < 0.9 and sales:
            docs.customer_return(rng.choice(sales), 1)
        else:
            docs.issue(world["store"], rng.choice(["destruction", "return_to_supplier"]), [(lots[1], 1, 400)],
                       receiver_name="Công ty Dược A", note="Hủy / trả hàng")
    return sales


def test_mixed_run_under_faults_sends_every_document_exactly_once(app, world, docs, sandbox, faults, make_runner,
                                                                  clock, sync_helpers, monkeypatch):
    rng = random.Random(5)
    sales = _make_documents(world, docs, rng, 500)
    voided_early = rng.sample(sales, 25)
    for sale in voided_early:
        docs.void(sale)
    original_take = faults.take
    monkeypatch.setattr(faults, "take", lambda route: None if route == "login" else original_take(route))
    faults.rate, faults.random_faults = 0.3, TRANSIENT_FAULTS
    runner = make_runner()
    runner.run_once(max_seconds=3)  # part of the backlog goes out, then more sales are voided
    voided_late = rng.sample([s for s in sales if s not in voided_early], 25)
    for sale in voided_late:
        docs.void(sale)
    sync_helpers["drain"](app, runner, clock, max_passes=60, max_seconds=150)
    faults.rate = 0.0

    from pharmacy.extensions import db
    from pharmacy.sales.models import Sale

    with app.app_context():
        messages = [SimpleNamespace(status=m.status, document_type=m.document_type, document_number=m.document_number)
                    for m in db.session.execute(select(OutboxMessage)).scalars()]
        voided_numbers = {db.session.get(Sale, s).number for s in voided_early + voided_late}
        db.session.rollback()
    assert len(messages) >= 500
    assert {m.status for m in messages} <= {"sent", "cancelled", "held"}
    state = sandbox.simulator.state
    for message in messages:
        if message.document_type not in API_KINDS:
            assert message.status in ("sent", "cancelled")
            continue
        kind = API_KINDS[message.document_type]
        if message.document_number in voided_numbers:
            assert state.count(kind, message.document_number) == 0
            assert state.count(kind, message.document_number, include_deleted=True) <= 1
        elif message.status == "sent":
            assert state.count(kind, message.document_number) == 1, message.document_number
    assert len(faults.injected) > 100  # the faults really happened
    held = [m for m in messages if m.status == "held"]
    assert {m.document_number for m in held} == {"PN-CH01-000005", "PN-CH01-000006"}  # the fixture's uncoded drug
