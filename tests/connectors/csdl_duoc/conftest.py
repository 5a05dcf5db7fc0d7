"""Fixtures for the CSDL Dược v2 connector tests: a served sandbox, a client on it, a controllable clock."""
from __future__ import annotations

from typing import NamedTuple

import pytest

from connectors.csdl_duoc.client import CsdlDuocClient
from connectors.sandboxes.csdl_duoc.data import make_drug
from connectors.sandboxes.csdl_duoc.simulator import create_sandbox
from connectors.sandboxes.kit import FaultPlan, ServedApp

USERNAME, PASSWORD, FACILITY = "nt-hoa-binh", "Mật khẩu 1!", "FAC-01"
OTHER_USERNAME, OTHER_PASSWORD, OTHER_FACILITY = "nt-an-khang", "secret-2", "FAC-02"
ACCOUNTS = {USERNAME: (PASSWORD, FACILITY), OTHER_USERNAME: (OTHER_PASSWORD, OTHER_FACILITY)}

PARACETAMOL_ID, AMOXICILLIN_ID = "893000000001", "893000000002"


class Account(NamedTuple):
    username: str
    password: str
    facility: str


class FakeClock:
    """Seconds that move only when a test says so."""

    def __init__(self, start: float = 1_780_000_000.0):
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def sample_drugs() -> list[dict]:
    return [
        make_drug(PARACETAMOL_ID, "Hapacol 500", units=(("Viên", None), ("Vỉ", "8931000000009"),
                                                         ("Hộp", "8931000000016")),
                  registration_number="VD-27262-17"),
        make_drug(AMOXICILLIN_ID, "Amoxicillin 500mg", units=(("Viên", None), ("Hộp", "8931074000073")),
                  active_ingredient="Amoxicillin", prescription_status=1, manufacturer="Imexpharm"),
    ]


@pytest.fixture
def account() -> Account:
    """The main test store's credentials (test modules cannot import conftest under --import-mode=importlib)."""
    return Account(USERNAME, PASSWORD, FACILITY)


@pytest.fixture
def new_clock():
    """Make a FakeClock: `new_clock(start=0.0)`."""
    return FakeClock


@pytest.fixture
def faults() -> FaultPlan:
    return FaultPlan(hang_seconds=0.6, retry_after=7)


@pytest.fixture
def sandbox_clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sandbox(faults, sandbox_clock):
    return create_sandbox(ACCOUNTS, drugs=sample_drugs(), faults=faults, token_lifetime=300, clock=sandbox_clock)


@pytest.fixture
def served(sandbox):
    app = ServedApp(sandbox)
    yield app
    app.stop()


@pytest.fixture
def client(served):
    with CsdlDuocClient(served.url, USERNAME, PASSWORD, timeout=(2, 5)) as api:
        yield api


@pytest.fixture
def other_client(served):
    with CsdlDuocClient(served.url, OTHER_USERNAME, OTHER_PASSWORD, timeout=(2, 5)) as api:
        yield api


@pytest.fixture
def unused_url():
    """A loopback URL nothing listens on (the port was free a moment ago)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"
