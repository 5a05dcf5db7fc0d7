"""Done-when: many sales with ~30 % injected faults at the sandbox provider → exactly one invoice each (the
provider's state is checked), voids → zero adjustments linked to their originals, returns → decreases.

N is 60 in normal runs (bounded time on busy shared cores); `EINVOICE_BULK_N=500` runs the full-size case."""
from __future__ import annotations

import os
import time

from sqlalchemy import select

from pharmacy.einvoices.models import EInvoice
from pharmacy.outbox.models import OutboxMessage

from .conftest import statuses
from .test_einvoice_lane import MTT

N = int(os.environ.get("EINVOICE_BULK_N", "60"))


def _drain(app, runner, clock, sandbox, *, seconds=60.0 + N) -> None:
    """Passes until nothing is pending or sending; a person retries what the provider rejected (bounded)."""
    from pharmacy.extensions import db
    from pharmacy.outbox.services import retry_message

    started = time.monotonic()
    while time.monotonic() - started < seconds:
        summary = runner.run_once(max_seconds=30)
        current = statuses(app)
        if current.get("rejected"):
            with app.app_context():
                rejected = db.session.execute(select(OutboxMessage).where(OutboxMessage.status == "rejected")
                                              ).scalars().all()
                for message in rejected:
                    retry_message(db.session, message, clock())
                db.session.commit()
            continue
        if not current.get("pending") and not current.get("sending"):
            return
        if summary.counts.get("unknown") or summary.counts.get("transient"):
            sandbox.latency.wait_idle(timeout=10)
        clock.advance(10)
    raise AssertionError(f"did not converge: {statuses(app)}")


def test_many_sales_under_faults_become_exactly_one_invoice_each(app, einvoice_world, docs, make_runner, clock,
                                                                  einvoice_sandbox, einvoice_faults):
    from pharmacy.extensions import db
    from pharmacy.sales.corrections import record_return, void_sale
    from pharmacy.sales.models import Sale
    from pharmacy.stores.models import User

    world = einvoice_world
    sale_ids = [docs.sale(world["store"], [(world["drug"], "Viên", 1 + i % 3), (world["device"], "Viên", 1)])
                for i in range(N)]
    einvoice_faults.rate = 0.3
    runner = make_runner(concurrency=2)
    _drain(app, runner, clock, einvoice_sandbox)
    voided, returned = sale_ids[::10], sale_ids[5::10]
    with app.app_context():
        owner = db.session.execute(select(User).filter_by(username="owner")).scalar_one()
        for sale_id in voided:
            void_sale(db.session, sale=db.session.get(Sale, sale_id), reason="Khách đổi ý", actor=owner,
                      now=clock())
        for sale_id in returned:
            sale = db.session.get(Sale, sale_id)
            record_return(db.session, sale=sale, lines=[{"sale_line_id": sale.lines[1].id, "quantity": 1}],
                          actor=owner, now=clock())
        db.session.commit()
    _drain(app, runner, clock, einvoice_sandbox)
    assert len(einvoice_faults.injected) > N * 0.3

    state = einvoice_sandbox.simulator.state
    with app.app_context():
        rows = db.session.execute(select(EInvoice).order_by(EInvoice.id)).scalars().all()
        by_id = {row.id: row for row in rows}
        assert len([row for row in rows if row.kind == "original"]) == N
        assert all(state.count(row.client_key) == 1 and MTT.match(row.mtt_code) for row in rows)
        assert len(state.invoices()) == len(rows) == N + len(voided) + len(returned)
        issued = {inv.key: inv for inv in state.invoices()}
        adjustments = [row for row in rows if row.kind == "adjustment"]
        decreases = [row for row in rows if row.kind == "decrease"]
        assert sorted(row.sale_id for row in adjustments) == sorted(voided)
        assert sorted(row.sale_id for row in decreases) == sorted(returned)
        for row in adjustments + decreases:
            original = by_id[row.original_id]
            assert issued[row.client_key].original_number == original.number
            assert issued[row.client_key].total == row.amount
        for row in adjustments:
            assert row.amount == -by_id[row.original_id].amount  # to zero
        numbers = [inv.sequence for inv in state.invoices()]
        assert numbers == list(range(1, len(numbers) + 1))
        dates = [inv.issued_ms for inv in state.invoices()]
        assert dates == sorted(dates)
        db.session.rollback()
