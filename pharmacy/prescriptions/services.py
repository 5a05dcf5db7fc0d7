"""Recording the prescription a sale is made against."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from ..clock import local_date
from ..errors import Invalid
from ..stores.models import User
from .models import Prescription

MANUAL_FIELDS = ("doctor_name", "facility_name", "patient_name", "issued_on")


def record_prescription(session: Session, data: dict, *, store_id: int, actor: User, now: datetime,
                        field: str = "prescription") -> Prescription:
    """A manual record (doctor, facility, patient, date, all required) or a national code as typed."""
    if data.get("national_code"):
        prescription = Prescription(
            store_id=store_id, kind="national", national_code=data["national_code"].strip().upper(),
            doctor_name=data.get("doctor_name") or "", facility_name=data.get("facility_name") or "",
            patient_name=data.get("patient_name") or "", issued_on=data.get("issued_on"),
            lookup_snapshot=data.get("lookup_snapshot"), user_id=actor.id, created_at=now,
        )
    else:
        missing = [name for name in MANUAL_FIELDS if not data.get(name)]
        if missing:
            raise Invalid(
                "Đơn thuốc cần mã đơn quốc gia, hoặc đủ bác sĩ, cơ sở khám, bệnh nhân và ngày kê.",
                errors={f"{field}.{name}": ["Bắt buộc."] for name in missing},
            )
        if data["issued_on"] > local_date(now):
            raise Invalid("Ngày kê đơn ở tương lai.", field=f"{field}.issued_on")
        prescription = Prescription(
            store_id=store_id, kind="manual", doctor_name=data["doctor_name"].strip(),
            facility_name=data["facility_name"].strip(), patient_name=data["patient_name"].strip(),
            issued_on=data["issued_on"], user_id=actor.id, created_at=now,
        )
    session.add(prescription)
    session.flush()
    return prescription
