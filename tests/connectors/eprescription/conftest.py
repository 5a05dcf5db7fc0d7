"""Fixtures for the e-prescription connector: a sandbox served on loopback, a client, and a dispense builder."""
from __future__ import annotations

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
from connectors.eprescription.client import EPrescriptionClient
from connectors.sandboxes.eprescription.simulator import create_sandbox, demo_prescriptions
from connectors.sandboxes.kit import FaultPlan, ServedApp

APP_NAME, APP_KEY = "pharmacy-pos", "k3y-SECRET-do-not-log"  # tests read them through the `credentials` fixture
TODAY = date(2026, 11, 20)
READ_TIMEOUT = 0.3


@pytest.fixture
def faults():
    return FaultPlan(hang_seconds=0.6, retry_after=7)


@pytest.fixture
def sandbox(faults):
    return create_sandbox(APP_NAME, APP_KEY, demo_prescriptions(TODAY), faults)


@pytest.fixture
def served(sandbox):
    server = ServedApp(sandbox)
    yield server
    server.stop()


@pytest.fixture
def credentials():
    return APP_NAME, APP_KEY


@pytest.fixture
def client(served):
    return EPrescriptionClient(served.url, APP_NAME, APP_KEY, timeout=(1.0, READ_TIMEOUT))


@pytest.fixture
def facility():
    return Facility(code="79123", name="Nhà thuốc An Khang", address="25 Lý Tự Trọng, Quận 1, TP. Hồ Chí Minh",
                    phone="02838123456")


@pytest.fixture
def catalogue():
    """Products by national code, as the store's catalogue would give them."""
    return {
        "TQG000005": DrugInfo(national_code="TQG000005", name="Amoxicillin 500mg", active_ingredient="Amoxicillin",
                              strength="500mg", base_unit="Viên", gtin="8931111000127"),
        "TQG000006": DrugInfo(national_code="TQG000006", name="Augmentin 625mg",
                              active_ingredient="Amoxicillin; Acid clavulanic", strength="500mg; 125mg",
                              base_unit="Viên", gtin="8931037000157"),
        "TQG000011": DrugInfo(national_code="TQG000011", name="Amlodipin 5mg", active_ingredient="Amlodipine",
                              strength="5mg", base_unit="Viên"),
        "TQG000017": DrugInfo(national_code="TQG000017", name="Omeprazol 20mg", active_ingredient="Omeprazole",
                              strength="20mg", base_unit="Viên"),
    }


@pytest.fixture
def make_dispense(facility, catalogue):
    """A DispenseDoc against a looked-up prescription: `given` maps line id -> quantity, `substitute` maps
    line id -> DrugInfo actually given instead of the prescribed product."""
    def make(prescription, given: dict, *, invoice="HD-79123-000042", substitute=None):
        substitute = substitute or {}
        lines = []
        for line_no, (line_id, quantity) in enumerate(given.items(), start=1):
            line = prescription.line(line_id)
            drug = substitute.get(line_id) or catalogue[line.ma_thuoc]
            lines.append(DispenseLineDoc(
                line_no=line_no, prescribed_line_id=line.id, prescribed_code=line.ma_thuoc,
                prescribed_name=line.ten_thuoc, prescribed_quantity=line.so_luong, drug=drug,
                unit_name=line.don_vi_tinh, quantity=quantity, usage=line.cach_dung,
                allocations=(LotQuantity("LOT-2406A", date(2027, 6, 30), quantity),)))
        return DispenseDoc(
            prescription_code=prescription.ma_don_thuoc, invoice_number=invoice, facility=facility,
            dispensed_at=datetime(2026, 11, 20, 3, 15, tzinfo=timezone.utc),
            pharmacist=PharmacistInfo(local_id="7", name="DS. Võ Thị Lan", license_no="0123/CCHN-D-SYT-HCM"),
            patient=PatientInfo(name=prescription.ho_ten_benh_nhan, birth_date=prescription.ngay_sinh_benh_nhan,
                                gender=prescription.gender),
            lines=tuple(lines), prescribed_at=prescription.ngay_gio_ke_don, prescriber_name=prescription.ten_bac_si)
    return make
