"""Transfers reach the legacy API: phieu_xuat loai 4 at the source on dispatch, phieu_nhap at the destination on
receipt (what arrived), and a cancel deletes the sent phieu_xuat or sends nothing at all."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from connectors.sandboxes.kit import ServedApp
from connectors.sandboxes.nationaldb.simulator import create_sandbox

from .conftest import NATIONAL_PASSWORD


@pytest.fixture
def sandbox():
    """The legacy sandbox knowing both stores' accounts."""
    from connectors.sandboxes.demo import LatencyMiddleware

    simulator = create_sandbox({"user_ch01": (NATIONAL_PASSWORD, "CS-CH01"),
                                "user_ch02": (NATIONAL_PASSWORD, "CS-CH02")})
    middleware = LatencyMiddleware(simulator)
    served = ServedApp(middleware, threads=4)
    served.simulator, served.latency = simulator, middleware
    yield served
    served.stop()


@pytest.fixture
def two_stores(books, world, clock):
    destination = books.store("CH02", national_password=NATIONAL_PASSWORD)
    return {**world, "destination": destination}


def _transfer(app, clock, world, lines, *, receive=None, cancel=False):
    from pharmacy.extensions import db
    from pharmacy.stores.models import Store, User
    from pharmacy.transfers.services import cancel_transfer, dispatch_transfer, receive_transfer

    with app.app_context():
        owner = db.session.query(User).filter_by(username="owner").one()
        transfer = dispatch_transfer(db.session, source=db.session.get(Store, world["store"]),
                                     destination=db.session.get(Store, world["destination"]), lines=lines,
                                     actor=owner, now=clock(), note="")
        if receive is not None:
            arrived = [{"transfer_line_id": line.id, "lot": a.lot, "quantity": receive(a.quantity)}
                       for line in transfer.lines for a in line.allocations]
            receive_transfer(db.session, transfer, lines=arrived, actor=owner, now=clock(), reason="Vỡ")
        if cancel:
            cancel_transfer(db.session, transfer, actor=owner, now=clock())
        db.session.commit()
        return transfer.number


def _statuses(app):
    from pharmacy.extensions import db
    from pharmacy.outbox.models import OutboxMessage

    with app.app_context():
        rows = db.session.execute(select(OutboxMessage).where(OutboxMessage.document_type.like("transfer%"))
                                  .order_by(OutboxMessage.id)).scalars().all()
        return [(m.document_type, m.status, m.last_error) for m in rows]


def test_dispatch_and_short_receipt_are_a_phieu_xuat_4_and_a_phieu_nhap_of_what_arrived(
        app, two_stores, sandbox, make_runner, sync_helpers, clock):
    lines = [{"product_id": two_stores["drug"], "unit": "Viên", "quantity": 5100},
             {"product_id": two_stores["device"], "unit": "Viên", "quantity": 3}]
    number = _transfer(app, clock, two_stores, lines, receive=lambda sent: sent - 100 if sent > 100 else sent)
    sync_helpers["drain"](app, make_runner(), clock)
    state = sandbox.simulator.state
    out = state.find("phieu_xuat", "CS-CH01", number)
    assert out is not None and out.payload["loai_phieu_xuat"] == 4
    assert out.payload["ten_co_so_nhan"] == "Nhà thuốc CH02 (CS-CH02)"
    assert out.payload["ghi_chu"] == "Chuyển kho đến Nhà thuốc CH02"
    assert [(d["so_lo"], d["so_luong"], d["don_gia"]) for d in out.payload["chi_tiet"]] == [
        ("LOT-A", 5000, 400), ("LOT-B", 100, 400)]  # the device is not reported
    assert out.payload["chi_tiet"][0]["han_dung"] == (date.today() + timedelta(days=200)).strftime("%Y%m%d")
    arrived = state.find("phieu_nhap", "CS-CH02", number)
    assert arrived is not None and arrived.payload["loai_phieu_nhap"] == 1
    assert arrived.payload["ten_co_so_cung_cap"] == "Nhà thuốc CH01 (CS-CH01)"
    assert [(d["so_lo"], d["so_luong"]) for d in arrived.payload["chi_tiet"]] == [("LOT-A", 4900), ("LOT-B", 100)]
    assert "thiếu: Vỡ" in arrived.payload["ghi_chu"]
    assert [(kind, status) for kind, status, _ in _statuses(app)] == [("transfer_out", "sent"),
                                                                      ("transfer_in", "sent")]


def test_cancel_deletes_a_sent_transfer_and_sends_nothing_for_an_unsent_one(
        app, two_stores, sandbox, make_runner, sync_helpers, clock):
    runner = make_runner()
    line = [{"product_id": two_stores["drug"], "unit": "Viên", "quantity": 10}]
    first = _transfer(app, clock, two_stores, line)
    sync_helpers["drain"](app, runner, clock)
    from pharmacy.extensions import db
    from pharmacy.stores.models import User
    from pharmacy.transfers.models import Transfer
    from pharmacy.transfers.services import cancel_transfer

    with app.app_context():
        transfer = db.session.execute(select(Transfer).filter_by(number=first)).scalar_one()
        cancel_transfer(db.session, transfer, actor=db.session.query(User).filter_by(username="owner").one(),
                        now=clock())
        db.session.commit()
    second = _transfer(app, clock, two_stores, line, cancel=True)
    sync_helpers["drain"](app, runner, clock)
    state = sandbox.simulator.state
    assert state.count("phieu_xuat", first, include_deleted=True) == 1
    assert state.find("phieu_xuat", "CS-CH01", first) is None  # deleted
    assert state.count("phieu_xuat", second, include_deleted=True) == 0
    assert [(kind, status) for kind, status, _ in _statuses(app)] == [
        ("transfer_out", "sent"), ("transfer_cancel", "sent"), ("transfer_out", "cancelled"),
        ("transfer_cancel", "cancelled")]
