"""Bad credentials, a wrong facility code and a permanently invalid document end as visible rejections."""
from __future__ import annotations

import threading
import time

from sqlalchemy import select

from connectors.sandboxes.kit import FAULT_400_ENVELOPE
from pharmacy.outbox.models import OutboxMessage

LOGIN = "/api/tai_khoan/dang_nhap"


def _by_type(app, document_type="sale"):
    from pharmacy.extensions import db

    with app.app_context():
        rows = [(m.status, m.attempts, m.last_error) for m in db.session.execute(
            select(OutboxMessage).filter_by(document_type=document_type).order_by(OutboxMessage.id)).scalars()]
        db.session.rollback()
        return rows


def _set_store(app, store_id, **values):
    from pharmacy.extensions import db
    from pharmacy.stores.models import Store
    from pharmacy.stores.services import save_store

    with app.app_context():
        save_store(db.session, values, app.extensions["pharmacy.vault"](), db.session.get(Store, store_id))
        db.session.commit()


def test_bad_credentials_reject_with_the_login_message_after_one_login_per_pass(app, world, docs, sandbox,
                                                                                make_runner, clock):
    _set_store(app, world["store"], national_password="wrong-password")
    for _ in range(5):
        docs.sale(world["store"], [(world["drug"], "Viên", 1)])
    runner = make_runner()
    for _ in range(3):
        runner.run_once()
        clock.advance(7200)
    logins = [call for call in sandbox.simulator.state.calls if call[1] == LOGIN]
    assert len(logins) == 1  # one refused login for the whole pass; later passes have nothing left to try
    sales = _by_type(app)
    assert [status for status, *_ in sales] == ["rejected"] * 5
    assert all("Tên đăng nhập hoặc mật khẩu không đúng" in error for *_rest, error in sales)
    assert sandbox.simulator.state.documents() == []


def test_wrong_facility_code_is_the_servers_own_rejection(app, world, docs, sandbox, make_runner, clock):
    _set_store(app, world["store"], national_facility_code="CS-WRONG")
    docs.sale(world["store"], [(world["drug"], "Viên", 1)])
    runner = make_runner()
    runner.run_once()
    clock.advance(7200)
    runner.run_once()
    assert _by_type(app) == [("rejected", 1, "Mã cơ sở không chính xác")]


def test_permanently_invalid_document_is_rejected_once_not_retried(app, world, docs, sandbox, faults, make_runner,
                                                                   clock):
    faults.push(FAULT_400_ENVELOPE, count=50, route="post:hoa_don")
    docs.sale(world["store"], [(world["drug"], "Viên", 1)])
    runner = make_runner()
    for _ in range(4):
        runner.run_once()
        clock.advance(7200)
    [(status, attempts, error)] = _by_type(app)
    assert (status, attempts) == ("rejected", 1) and "The Ma_co_so field is required." in error


def test_store_without_national_account_is_held_with_the_reason(app, books, docs, sandbox, make_runner):
    store = books.store("CH01", national_username="")
    books.user("owner", role="owner")
    drug = books.product("Paracetamol 500mg", national_code="TQG900001")
    books.receive(store, drug, "L1", __import__("datetime").date(2030, 1, 1), 100)
    docs.sale(store, [(drug, "Viên", 1)])
    make_runner().run_once()
    [(status, _attempts, error)] = _by_type(app)
    assert status == "held" and "national_username is missing on the store" in error


def test_counter_keeps_selling_while_the_runner_is_mid_send(app, world, docs, sandbox, make_runner, books, clock,
                                                            sync_helpers):
    for _ in range(30):
        docs.sale(world["store"], [(world["drug"], "Viên", 1)])
    sandbox.latency.seconds = 0.15
    runner = make_runner(concurrency=2, timeout=(1.0, 5.0))
    pharmacist = books.api("ds1")
    worker = threading.Thread(target=runner.run_once, daemon=True)
    worker.start()
    timings = []
    for _ in range(8):
        started = time.monotonic()
        response = pharmacist.post("/api/v1/sales", json={"store_id": world["store"], "lines": [
            {"product_id": world["drug"], "unit": "Viên", "quantity": 1}]})
        timings.append(time.monotonic() - started)
        assert response.status_code == 201, response.json
    assert worker.is_alive()  # the sales were made while the runner was still sending
    worker.join(timeout=60)
    assert max(timings) < 2.0
    sandbox.latency.seconds = 0.0
    sync_helpers["drain"](app, runner, clock)
    assert [s for s, *_ in _by_type(app)] == ["sent"] * 38
