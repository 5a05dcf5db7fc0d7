"""Fixtures for prescriptions end to end: both national sandboxes on loopback, an app pointed at them, and a store
whose catalogue carries the demo prescriptions' drugs."""
from __future__ import annotations

from datetime import timedelta

import pytest

from connectors.sandboxes.eprescription.simulator import create_sandbox as create_erx_sandbox
from connectors.sandboxes.eprescription.simulator import demo_prescriptions
from connectors.sandboxes.healthdata.simulator import BASE_PATH, TOKEN_PATH
from connectors.sandboxes.healthdata.simulator import create_sandbox as create_health_sandbox
from connectors.sandboxes.kit import FaultPlan, ServedApp
from pharmacy.clock import local_today

ERX_NAME, ERX_KEY = "pharmacy-pos", "erx-key-never-logged"
HD_ID, HD_SECRET = "pharmacy-pos-CH01", "hd-secret"


@pytest.fixture
def erx_faults():
    return FaultPlan(hang_seconds=0.6, retry_after=1)


@pytest.fixture
def erx(erx_faults):
    """The e-prescription simulator with the demo prescriptions dated today, served on loopback."""
    simulator = create_erx_sandbox(ERX_NAME, ERX_KEY, demo_prescriptions(local_today()), erx_faults)
    served = ServedApp(simulator)
    served.simulator = simulator
    yield served
    served.stop()


@pytest.fixture
def hd_faults():
    return FaultPlan(hang_seconds=0.6, retry_after=1)


@pytest.fixture
def health(hd_faults):
    """The health data simulator (FHIR R4B validation, ifNoneExist, OAuth2 tokens), served on loopback."""
    simulator = create_health_sandbox(HD_ID, HD_SECRET, hd_faults, token_lifetime=600)
    served = ServedApp(simulator)
    served.simulator = simulator
    yield served
    served.stop()


@pytest.fixture
def rx_app(app, erx, health):
    app.config.update({
        "ERX_URL": erx.url, "ERX_APP_NAME": ERX_NAME, "ERX_APP_KEY": ERX_KEY, "ERX_TIMEOUT_SECONDS": 1,
        "HEALTH_DATA_ENABLED": True, "HEALTH_DATA_URL": health.url + BASE_PATH,
        "HEALTH_DATA_TOKEN_URL": health.url + TOKEN_PATH, "HEALTH_DATA_CLIENT_ID": HD_ID,
        "HEALTH_DATA_CLIENT_SECRET": HD_SECRET, "PRESCRIPTION_VALIDITY_DAYS": 5,
    })
    return app


@pytest.fixture
def rx_shop(rx_app, books):
    """Store CH01 (facility code CS-CH01), pharmacist ds1, owner, and stocked drugs of the demo prescriptions."""
    from pharmacy.catalog.services import UnitSpec

    store = books.store("CH01", phone="0281234567")
    books.user("owner", role="owner")
    books.user("ds1", stores=[store])
    expiry = local_today() + timedelta(days=400)
    tablets = [UnitSpec("Viên", 1, 1000), UnitSpec("Vỉ", 7, 7000), UnitSpec("Hộp", 100, 95000, ["8934500000019"])]
    products = {
        "amox": books.product("Amoxicillin 500mg", national_code="TQG000005", prescription_only=True,
                              active_ingredient="Amoxicillin", units=tablets),
        "omep": books.product("Omeprazol 20mg", national_code="TQG000017", prescription_only=True,
                              active_ingredient="Omeprazole", strength="20mg",
                              units=[UnitSpec("Viên", 1, 800), UnitSpec("Hộp", 28, 21000)]),
        "amlo": books.product("Amlodipin 5mg", national_code="TQG000011", prescription_only=True,
                              active_ingredient="Amlodipine", strength="5mg", units=[UnitSpec("Viên", 1, 600)]),
        "augm": books.product("Augmentin 625mg", national_code="TQG000006", prescription_only=True,
                              active_ingredient="Amoxicillin; Acid clavulanic", strength="500mg/125mg",
                              units=[UnitSpec("Viên", 1, 12000)]),
        "klamox": books.product("Klamentin 625mg", national_code="TQG000777", prescription_only=True,
                                active_ingredient="Amoxicillin; Acid clavulanic", strength="500mg/125mg",
                                units=[UnitSpec("Viên", 1, 9000)]),
        "para": books.product("Paracetamol 500mg", national_code="TQG000001", active_ingredient="Paracetamol",
                              units=[UnitSpec("Viên", 1, 500)]),
    }
    for key, product in products.items():
        books.receive(store, product, f"{key.upper()}-01", expiry, 300)
    return {"store": store, "products": products, "api": books.api("ds1"), "owner": books.api("owner"),
            "books": books}


@pytest.fixture
def lookup(rx_shop):
    def run(code, api=None):
        return (api or rx_shop["api"]).get(f"/api/v1/prescriptions/national/{code}?store_id={rx_shop['store']}")
    return run


@pytest.fixture
def sell(rx_shop):
    def run(lines, prescription, api=None, **extra):
        body = {"store_id": rx_shop["store"], "lines": lines, "prescription": prescription, **extra}
        return (api or rx_shop["api"]).post("/api/v1/sales", json=body)
    return run


def fill_cart(view) -> list[dict]:
    """The counter's one key press: every matched line at its remaining quantity."""
    return [line["cart"] for line in view["lines"] if line["cart"]]




@pytest.fixture
def make_runner(rx_app):
    """A sync runner with tiny backoff; the national drug DB messages stay held (the test store has no account)."""
    import random

    from connectors.sync.claims import Backoff
    from connectors.sync.runner import SyncRunner

    runners = []

    def make(**overrides):
        settings = {"base_url": "http://127.0.0.1:9", "concurrency": 2, "timeout": (1.0, 0.4),
                    "backoff": Backoff(0.01, 0.05, random.Random(5)), **overrides}
        runner = SyncRunner.from_app(rx_app, **settings)
        runners.append(runner)
        return runner

    yield make
    for runner in runners:
        runner.close()


def report_states(app) -> dict[str, list[str]]:
    """Status of the prescription reports per target, oldest first."""
    from sqlalchemy import select

    from pharmacy.extensions import db
    from pharmacy.outbox.models import OutboxMessage

    with app.app_context():
        rows = db.session.execute(select(OutboxMessage.target, OutboxMessage.status).where(
            OutboxMessage.target != "national_drug_db").order_by(OutboxMessage.id)).all()
        db.session.rollback()
    states: dict[str, list[str]] = {}
    for target, status in rows:
        states.setdefault(target, []).append(status)
    return states


def drain(app, runner, passes: int = 12) -> dict[str, list[str]]:
    """Run passes until no report is pending or sending (backoff is tiny, so a short sleep lets it come due)."""
    import time

    for _ in range(passes):
        runner.run_once(max_seconds=20)
        states = report_states(app)
        if not any(s in ("pending", "sending") for values in states.values() for s in values):
            return states
        time.sleep(0.1)
    raise AssertionError(f"reports did not settle: {report_states(app)}")
