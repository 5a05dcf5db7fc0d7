"""Each fault the simulator injects ends with every document on the national side exactly once."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from connectors.sandboxes.kit import (
    FAULT_400_ENVELOPE,
    FAULT_429,
    FAULT_500,
    FAULT_503,
    FAULT_DROP_AFTER_STORE,
    FAULT_HANG,
    FAULT_INVALIDATE_TOKEN,
)
from pharmacy.outbox.models import OutboxAttempt, OutboxMessage

ROUTES = ("post:hoa_don", "post:phieu_nhap", "post:phieu_xuat")


def _three_documents(world, docs):
    docs.sale(world["store"], [(world["drug"], "Vỉ", 2)])
    docs.receipt(world["store"], "supplier", [(world["drug"], "Hộp", 2, "NEW-1", date.today() + timedelta(days=500),
                                               40000)])
    docs.issue(world["store"], "destruction", [(docs.lots(world["drug"])[0], 10, 400)])
    return {"hoa_don": "HD-CH01-000001", "phieu_nhap": "PN-CH01-000007", "phieu_xuat": "PX-CH01-000001"}


def _sent_numbers(app):
    from pharmacy.extensions import db

    with app.app_context():
        rows = db.session.execute(select(OutboxMessage.document_number, OutboxMessage.status)).all()
        db.session.rollback()
        return {number for number, status in rows if status == "sent"}


@pytest.mark.parametrize("fault", [FAULT_500, FAULT_503, FAULT_429, FAULT_HANG, FAULT_DROP_AFTER_STORE,
                                   FAULT_INVALIDATE_TOKEN])
def test_transient_fault_ends_with_each_document_exactly_once(fault, app, world, docs, sandbox, faults, make_runner,
                                                             sync_helpers, clock):
    numbers = _three_documents(world, docs)
    for route in ROUTES:
        faults.push(fault, count=2, route=route)
    sync_helpers["drain"](app, make_runner(), clock)
    state = sandbox.simulator.state
    for kind, number in numbers.items():
        assert state.count(kind, number) == 1, (kind, number, state.calls)
    assert set(numbers.values()) <= _sent_numbers(app)
    assert {route for route, injected in faults.injected if injected == fault} == set(ROUTES)


def test_unknown_outcomes_are_checked_before_posting_again(app, world, docs, sandbox, faults, make_runner, clock,
                                                           sync_helpers):
    numbers = _three_documents(world, docs)
    for route in ROUTES:
        faults.push(FAULT_DROP_AFTER_STORE, route=route)
    sync_helpers["drain"](app, make_runner(), clock)
    calls = [(method, path.split("/")[3]) for method, path, _outcome in sandbox.simulator.state.calls
             if path.startswith("/api/lien_thong")]
    assert calls.count(("GET", "hoa_don")) == 1 and calls.count(("POST", "hoa_don")) == 1
    # the two opening receipts of the fixture, then ours twice around its DELETE
    assert calls.count(("DELETE", "phieu_nhap")) == 1 and calls.count(("POST", "phieu_nhap")) == 4
    assert calls.count(("DELETE", "phieu_xuat")) == 1 and calls.count(("POST", "phieu_xuat")) == 2
    assert all(sandbox.simulator.state.count(kind, n) == 1 for kind, n in numbers.items())


def test_429_waits_at_least_retry_after(app, world, docs, sandbox, faults, make_runner, clock):
    docs.sale(world["store"], [(world["drug"], "Viên", 1)])
    faults.push(FAULT_429, route="post:hoa_don")
    make_runner().run_once()
    from pharmacy.extensions import db

    with app.app_context():
        message = db.session.execute(select(OutboxMessage).filter_by(document_type="sale")).scalars().one()
        assert message.status == "pending" and not message.outcome_unknown
        assert (message.next_attempt_at - clock()).total_seconds() >= faults.retry_after
        attempt = db.session.execute(select(OutboxAttempt).filter_by(message_id=message.id)).scalars().one()
        assert attempt.http_status == 429 and attempt.outcome == "transient"


def test_validation_envelope_is_a_visible_rejection_then_resent_after_retry(app, world, docs, sandbox, faults,
                                                                           make_runner, clock, sync_helpers):
    from pharmacy.extensions import db
    from pharmacy.outbox.services import retry_message

    docs.sale(world["store"], [(world["drug"], "Viên", 1)])
    faults.push(FAULT_400_ENVELOPE, route="post:hoa_don")
    runner = make_runner()
    runner.run_once()
    clock.advance(3600)
    runner.run_once()
    with app.app_context():
        message = db.session.execute(select(OutboxMessage).filter_by(document_type="sale")).scalars().one()
        assert message.status == "rejected" and message.attempts == 1
        assert "Your request is not valid" in message.last_error and "Ma_co_so" in message.last_error
        assert message.problems == [{"message": "The Ma_co_so field is required.", "members": ["input.Ma_co_so"]}]
        retry_message(db.session, message, clock())
        db.session.commit()
    sync_helpers["drain"](app, runner, clock)
    assert sandbox.simulator.state.count("hoa_don", "HD-CH01-000001") == 1


def test_an_invoice_confirmed_by_look_up_keeps_its_national_id(app, world, docs, sandbox, faults, make_runner, clock,
                                                               sync_helpers):
    """Issue 10, item 3: the look-up answer's ma_hoa_don_quoc_gia is recorded when it settles an unknown outcome."""
    number = _three_documents(world, docs)["hoa_don"]
    faults.push(FAULT_DROP_AFTER_STORE, route="post:hoa_don")
    sync_helpers["drain"](app, make_runner(), clock)
    stored = next(d for d in sandbox.simulator.state.documents("hoa_don") if d.number == number)
    from pharmacy.extensions import db

    with app.app_context():
        message = db.session.execute(select(OutboxMessage).where(OutboxMessage.document_number == number)).scalar_one()
        attempts = db.session.execute(select(OutboxAttempt).where(OutboxAttempt.message_id == message.id)
                                      .order_by(OutboxAttempt.id)).scalars().all()
        assert message.status == "sent" and message.remote_id == stored.national_id
        assert attempts[-1].remote_id == stored.national_id and "look-up" in attempts[-1].response_excerpt
        db.session.rollback()
