"""v2 fixtures: the CSDL Dược v2 sandbox on loopback, a v2 store with linked products, a runner with its v2 lane."""
from __future__ import annotations

import importlib.util
import random
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from connectors.sandboxes.csdl_duoc.data import make_drug
from connectors.sandboxes.csdl_duoc.simulator import create_sandbox
from connectors.sandboxes.kit import FaultPlan, ServedApp

V2_USER, V2_PASSWORD, V2_FACILITY = "user_ch01", "v2-pass-01", "CS-CH01"
PARA_ID, AMOX_ID, BERBERIN_ID = "893000000001", "893000000002", "893000000003"
PARA_UNITS = (("Viên", None), ("Vỉ", "8931000000009"), ("Hộp", "8931000000016"))
READ_TIMEOUT = 0.3
HANG_SECONDS = 0.45

_spec = importlib.util.spec_from_file_location("sync_fixtures_for_v2", Path(__file__).parent.parent / "sync" /
                                               "conftest.py")
_sync = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_sync)
FakeClock, Docs = _sync.FakeClock, _sync.Docs   # the sync suite's document builders, reused as they are


def national_drugs() -> list[dict]:
    return [make_drug(PARA_ID, "Paracetamol 500mg", units=PARA_UNITS, registration_number="VD-1-23"),
            make_drug(AMOX_ID, "Amoxicillin 500mg", units=(("Viên", None), ("Hộp", "8931074000073")),
                      active_ingredient="Amoxicillin", prescription_status=1, registration_number="VD-2-23"),
            make_drug(BERBERIN_ID, "Berberin 100mg", active_ingredient="Berberin", strength="100mg",
                      registration_number="VD-3-23")]


@pytest.fixture
def v2_faults():
    return FaultPlan(seed=17, hang_seconds=HANG_SECONDS, retry_after=2)


@pytest.fixture
def v2_sandbox(v2_faults):
    simulator = create_sandbox({V2_USER: (V2_PASSWORD, V2_FACILITY)}, drugs=national_drugs(), faults=v2_faults,
                               polls_to_finish=2)
    served = ServedApp(simulator, threads=8)
    served.simulator, served.state = simulator, simulator.state
    yield served
    served.stop()


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def docs(app, clock):
    return Docs(app, clock)


def link_product(app, product_id: int, v2_id: str, units: dict[str, str]) -> None:
    """Give a product its v2 drug id and unit ids ({unit name: unit id}), as the catalogue import does."""
    from pharmacy.catalog.models import Product
    from pharmacy.extensions import db

    with app.app_context():
        product = db.session.get(Product, product_id)
        product.v2_drug_id = v2_id
        for unit in product.units:
            unit.v2_unit_id = units.get(unit.name)
        db.session.commit()


def switch_to_v2(app, store_id: int, now) -> None:
    from pharmacy.extensions import db
    from pharmacy.stores.models import Store
    from pharmacy.stores.services import save_store

    with app.app_context():
        save_store(db.session, {"national_api": "v2"}, app.extensions["pharmacy.vault"](),
                   db.session.get(Store, store_id), now=now)
        db.session.commit()


@pytest.fixture
def v2_world(app, books, docs, clock):
    """Store CH01 (legacy first) with stock of a linked drug, a linked Rx drug, a device and an unlinked drug."""
    store = books.store("CH01", national_password=V2_PASSWORD, national_username=V2_USER)
    books.user("owner", role="owner")
    books.user("ds1", stores=[store])
    drug = books.product("Paracetamol 500mg", national_code="TQG900001")
    amox = books.product("Amoxicillin 500mg", national_code="TQG900002", active_ingredient="Amoxicillin",
                         registration_no="VD-2-23")
    device = books.product("Khẩu trang y tế", active_ingredient="", strength="", dosage="")
    unlinked = books.product("Berberin 100mg", national_code="TQG900003", active_ingredient="Berberin",
                             registration_no="VD-3-23")
    link_product(app, drug, PARA_ID, {"Viên": "VIEN", "Vỉ": "VI", "Hộp": "HOP"})
    link_product(app, amox, AMOX_ID, {"Viên": "VIEN", "Hộp": "HOP"})
    today = date.today()
    for product in (drug, amox, device, unlinked):
        books.receive(store, product, "LOT-A", today + timedelta(days=200), 5000)
        books.receive(store, product, "LOT-B", today + timedelta(days=400), 5000)
    mark_legacy_sent(app)
    return {"store": store, "drug": drug, "amox": amox, "device": device, "unlinked": unlinked}


def mark_legacy_sent(app) -> None:
    """The documents so far were reported through the legacy API (not what these tests are about)."""
    from sqlalchemy import update

    from pharmacy.extensions import db
    from pharmacy.outbox.models import OutboxMessage

    with app.app_context():
        db.session.execute(update(OutboxMessage).values(status="sent", remote_id="legacy"))
        db.session.commit()


@pytest.fixture
def v2_store(app, v2_world, clock):
    """v2_world switched to v2 (its opening balance queued)."""
    switch_to_v2(app, v2_world["store"], clock())
    return v2_world


@pytest.fixture
def make_v2_runner(app, v2_sandbox, clock):
    """A runner whose v2 lane talks to the sandbox: tiny backoff, a short read timeout, the fake clock."""
    from connectors.sync.claims import Backoff
    from connectors.sync.runner import SyncRunner

    runners = []

    def make(**overrides):
        settings = {"concurrency": 4, "lease_seconds": 300, "clock": clock,
                    "backoff": Backoff(0.5, 5, random.Random(3)), "timeout": (1.0, READ_TIMEOUT),
                    "base_url": "http://127.0.0.1:9", "v2_base_url": v2_sandbox.url}
        runner = SyncRunner.from_app(app, **{**settings, **overrides})
        runners.append(runner)
        return runner

    yield make
    for runner in runners:
        runner.close()


def messages(app) -> list[dict]:
    """Every outbox message as a plain dict, oldest first."""
    from sqlalchemy import select

    from pharmacy.extensions import db
    from pharmacy.outbox.models import OutboxMessage

    with app.app_context():
        rows = [{"id": m.id, "status": m.status, "type": m.document_type, "number": m.document_number,
                 "remote_id": m.remote_id, "outcome_unknown": m.outcome_unknown, "last_error": m.last_error,
                 "problems": m.problems, "attempts": m.attempts}
                for m in db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars()]
        db.session.rollback()
    return rows


def drain(app, runner, clock, *, max_passes=60, max_seconds=90.0, step=60.0) -> None:
    """Run passes, moving the fake clock on, until nothing is pending, sending or awaiting a result."""
    started = time.monotonic()
    for _ in range(max_passes):
        summary = runner.run_once(max_seconds=max_seconds)
        busy = [m for m in messages(app) if m["status"] in ("pending", "sending", "awaiting_result")]
        if not busy:
            return
        if summary.counts.get("unknown") or summary.counts.get("transient"):
            time.sleep(HANG_SECONDS)  # a hung request the client gave up on still lands: let it
        clock.advance(step)
        assert time.monotonic() - started < max_seconds, "sync did not converge in time"
    raise AssertionError(f"sync did not converge: {[m for m in messages(app) if m['status'] != 'sent']}")


@pytest.fixture
def v2_helpers():
    return {"drain": drain, "messages": messages, "link": link_product, "switch": switch_to_v2}
