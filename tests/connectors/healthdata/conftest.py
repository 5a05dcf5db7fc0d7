"""Fixtures for the health data connector: sample dispenses, a sandbox on loopback with a fake clock, a client."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone

import pytest

from connectors.documents import (
    DispenseDoc,
    DispenseLineDoc,
    DrugInfo,
    Facility,
    LotQuantity,
    PatientInfo,
    PharmacistInfo,
)
from connectors.healthdata.client import HealthDataClient
from connectors.sandboxes.healthdata.simulator import BASE_PATH, TOKEN_PATH, create_sandbox
from connectors.sandboxes.kit import FaultPlan, ServedApp

CLIENT_ID, CLIENT_SECRET = "pharmacy-pos-79123", "s3cret-client"
NOW = datetime(2026, 11, 20, 3, 20, tzinfo=timezone.utc)


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self, start: float = 1000.0):
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def faults():
    return FaultPlan(hang_seconds=0.6, retry_after=5)


@pytest.fixture
def server_clock():
    return FakeClock()


@pytest.fixture
def client_clock():
    return FakeClock()


@pytest.fixture
def sandbox(faults, server_clock):
    return create_sandbox(CLIENT_ID, CLIENT_SECRET, faults, token_lifetime=600, clock=server_clock)


@pytest.fixture
def served(sandbox):
    server = ServedApp(sandbox)
    yield server
    server.stop()


@pytest.fixture
def make_client(served, client_clock):
    def make(client_id=CLIENT_ID, secret=CLIENT_SECRET):
        return HealthDataClient(served.url + BASE_PATH, served.url + TOKEN_PATH, client_id, secret,
                                timeout=(1.0, 0.3), clock=client_clock)
    return make


@pytest.fixture
def client(make_client):
    return make_client()


def golden_dispense() -> DispenseDoc:
    """The hand-checked dispense behind golden/healthdata_bundle_cccd.json: a patient with CCCD and insurance,
    amoxicillin from two lots, and omeprazole substituted by another brand without a known GTIN."""
    amoxicillin = DrugInfo(national_code="TQG000005", name="Amoxicillin 500mg", active_ingredient="Amoxicillin",
                           strength="500mg", base_unit="Viên", gtin="8931111000127")
    substitute = DrugInfo(national_code="TQG000931", name="Omeprazol Stada 20mg", active_ingredient="Omeprazole",
                          strength="20mg", base_unit="Viên")
    return DispenseDoc(
        prescription_code="79011A3F9K2Q-C",
        invoice_number="HD-79123-000042",
        facility=Facility(code="79123", name="Nhà thuốc An Khang", address="25 Lý Tự Trọng, Quận 1, TP. Hồ Chí Minh",
                          phone="02838123456"),
        dispensed_at=datetime(2026, 11, 20, 3, 15, 42, 123456, tzinfo=timezone.utc),
        pharmacist=PharmacistInfo(local_id="7", name="DS. Võ Thị Lan", license_no="0123/CCHN-D-SYT-HCM"),
        patient=PatientInfo(name="Nguyễn Văn An", birth_date=date(1978, 3, 15), gender="male", cccd="079078001234",
                            insurance_number="DN4797912345678", health_id="079078001234", local_id="C-0815"),
        lines=(
            DispenseLineDoc(line_no=1, prescribed_line_id=101, prescribed_code="TQG000005",
                            prescribed_name="Amoxicillin 500mg", prescribed_quantity=21, drug=amoxicillin,
                            unit_name="Viên", quantity=21, usage="Uống 1 viên x 3 lần/ngày, sau ăn",
                            allocations=(LotQuantity("AMX2406A", date(2027, 6, 30), 11),
                                         LotQuantity("AMX2409B", date(2027, 9, 30), 10))),
            DispenseLineDoc(line_no=2, prescribed_line_id=102, prescribed_code="TQG000017",
                            prescribed_name="Omeprazol 20mg", prescribed_quantity=14, drug=substitute,
                            unit_name="Viên", quantity=7, usage="Uống 1 viên/ngày trước ăn sáng 30 phút",
                            allocations=(LotQuantity("OMS2501", date(2028, 1, 31), 7),)),
        ),
        prescribed_at=datetime(2026, 11, 20, 1, 30, tzinfo=timezone.utc),
        prescriber_name="BS. Trần Minh Đức",
        prescriber_facility="Bệnh viện Nhân dân 115",
    )


def local_patient_dispense() -> DispenseDoc:
    """The dispense behind golden/healthdata_bundle_local_patient.json: a walk-in patient known only to the store,
    a pharmacist without a recorded licence, one line with no lot recorded, no prescriber details."""
    doc = golden_dispense()
    line = replace(doc.lines[1], line_no=1, drug=replace(doc.lines[1].drug, gtin="8931185000481"), allocations=(),
                   usage="")
    return replace(doc, invoice_number="HD-79123-000043",
                   patient=PatientInfo(name="Lê Minh Châu", gender="female", local_id="C-0902"),
                   pharmacist=PharmacistInfo(local_id="12", name="DS. Hoàng Văn Tú"), lines=(line,),
                   prescribed_at=None, prescriber_name="")


@pytest.fixture
def dispense() -> DispenseDoc:
    return golden_dispense()
