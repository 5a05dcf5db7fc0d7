"""Fixtures for the legacy national DB connector: sample documents and a sandbox served on loopback."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from connectors.documents import (
    DrugInfo,
    Facility,
    IssueDoc,
    LotQuantity,
    ReceiptDoc,
    SaleDoc,
    SaleLineDoc,
    StockLineDoc,
)
from connectors.nationaldb.client import LegacyClient
from connectors.sandboxes.kit import FaultPlan, ServedApp
from connectors.sandboxes.nationaldb.simulator import create_sandbox

FACILITY_CODE = "79001234"
USERNAME, PASSWORD = "nt_anbinh", "s3cret-Pass"
OTHER_USERNAME, OTHER_PASSWORD, OTHER_FACILITY = "nt_hoaphat", "other-Pass", "79009999"
READ_TIMEOUT = 0.8  # below the faults fixture's 1 s hang; a login answered late on a busy machine stays an answer


@pytest.fixture
def facility():
    return Facility(code=FACILITY_CODE, name="Nhà thuốc An Bình")


@pytest.fixture
def paracetamol():
    return DrugInfo(national_code="TQG0000001", name="Paracetamol 500mg", active_ingredient="Paracetamol",
                    strength="500mg", dosage_form="Viên nén", route="Uống", dosage="Uống 1 viên mỗi 6 giờ khi sốt",
                    registration_no="VD-12345-10", base_unit="Viên")


@pytest.fixture
def amoxicillin():
    return DrugInfo(national_code="TQG0000002", name="Amoxicillin 500mg", active_ingredient="Amoxicillin",
                    strength="500mg", route="Uống", dosage="Uống 1 viên x 3 lần/ngày", registration_no="VD-22222-15",
                    base_unit="Viên")


@pytest.fixture
def face_mask():
    return DrugInfo(national_code=None, name="Khẩu trang y tế", base_unit="Cái")


@pytest.fixture
def make_sale(facility, paracetamol):
    """A sale of 2 "Hộp" (100 Viên each, 50,000 VND) of paracetamol from one lot; override anything."""
    def make(**overrides):
        line = SaleLineDoc(drug=paracetamol, unit_name="Hộp", unit_factor=100, unit_price=50_000, quantity=2,
                           allocations=(LotQuantity("LOT-A1", date(2026, 5, 31), 200, date(2024, 6, 1)),))
        values = dict(number="HD-CH01-000123", facility=facility,
                      sold_at=datetime(2025, 3, 1, 3, 15, tzinfo=timezone.utc), seller_name="Nguyễn Thị Lan",
                      customer_name=None, national_prescription_code=None, lines=(line,))
        return SaleDoc(**{**values, **overrides})
    return make


@pytest.fixture
def stock_line(paracetamol):
    return StockLineDoc(drug=paracetamol, lot="LOT-A1", expiry=date(2026, 5, 31), quantity=500, unit_price=480,
                        manufactured=date(2024, 6, 1))


@pytest.fixture
def make_receipt(facility, stock_line):
    def make(**overrides):
        values = dict(number="PN-CH01-000045", facility=facility, kind="supplier",
                      received_at=datetime(2025, 3, 1, 2, 0, tzinfo=timezone.utc),
                      supplier_name="Công ty Dược phẩm Trung ương 1", note="", lines=(stock_line,))
        return ReceiptDoc(**{**values, **overrides})
    return make


@pytest.fixture
def make_issue(facility, stock_line):
    def make(**overrides):
        values = dict(number="PX-CH01-000007", facility=facility, kind="destruction",
                      issued_at=datetime(2025, 3, 1, 2, 0, tzinfo=timezone.utc), receiver_name="",
                      note="Hủy thuốc hết hạn", lines=(stock_line,))
        return IssueDoc(**{**values, **overrides})
    return make


@pytest.fixture
def faults():
    return FaultPlan(hang_seconds=1.0, retry_after=7)


@pytest.fixture
def sandbox(faults):
    return create_sandbox({USERNAME: (PASSWORD, FACILITY_CODE), OTHER_USERNAME: (OTHER_PASSWORD, OTHER_FACILITY)},
                          faults)


def stop_served(app: ServedApp) -> None:
    """Stop a served sandbox once (ServedApp.stop is not safe to call twice)."""
    if app.thread.is_alive():
        app.stop()


@pytest.fixture
def served(sandbox):
    app = ServedApp(sandbox)
    yield app
    stop_served(app)


@pytest.fixture
def make_client(served):
    """Clients against the served sandbox, closed after the test."""
    clients = []

    def make(username=USERNAME, password=PASSWORD, **kwargs):
        kwargs.setdefault("timeout", (1.0, READ_TIMEOUT))
        client = LegacyClient(served.url, username, password, **kwargs)
        clients.append(client)
        return client
    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(make_client):
    return make_client()
