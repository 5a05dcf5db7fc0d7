"""A prescription a sale was made against (manual record or national code with its lookup snapshot)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..models_base import Base, UTCDateTime, utcnow

# lookup_status of a national prescription: found by a lookup, or recorded by hand while the e-prescription
# system was unreachable (unverified) and later looked up again (matches / differs).
FOUND, UNVERIFIED, MATCHES, DIFFERS = "found", "unverified", "matches", "differs"
LOOKUP_STATUSES = (FOUND, UNVERIFIED, MATCHES, DIFFERS)


class Prescription(Base):
    """One row per prescription and store: every sale against the same national code links to it."""

    __tablename__ = "prescriptions"
    __table_args__ = (UniqueConstraint("store_id", "national_code", name="uq_prescriptions_store_id_national_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # manual | national
    national_code: Mapped[str | None] = mapped_column(String(50), index=True)
    doctor_name: Mapped[str] = mapped_column(String(200), default="")
    facility_name: Mapped[str] = mapped_column(String(500), default="")
    patient_name: Mapped[str] = mapped_column(String(200), default="")
    patient_cccd: Mapped[str] = mapped_column(String(20), default="")
    diagnosis: Mapped[str] = mapped_column(String(500), default="")
    form: Mapped[str] = mapped_column(String(1), default="", server_default="")  # paper: "" ordinary, N, H
    issued_on: Mapped[date | None] = mapped_column(Date)
    lookup_snapshot: Mapped[dict | None] = mapped_column(JSON)
    lookup_status: Mapped[str | None] = mapped_column(String(20))
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    differences: Mapped[list | None] = mapped_column(JSON)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def needs_recheck(self) -> bool:
        return self.lookup_status == UNVERIFIED


class NationalAnswer(Base):
    """The e-prescription system's latest answer for a code: a cache a lookup (GET) may write, so that the sale
    that follows records the prescription without asking again. It is no prescription record."""

    __tablename__ = "national_prescription_answers"

    national_code: Mapped[str] = mapped_column(String(50), primary_key=True)
    snapshot: Mapped[dict] = mapped_column(JSON)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
