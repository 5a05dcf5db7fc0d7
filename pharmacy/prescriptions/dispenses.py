"""What each sale line gave against which prescribed line, with the reason when another product was given."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from ..models_base import Base, UTCDateTime, utcnow
from ..sales.models import Sale, SaleLine
from .models import Prescription


class PrescriptionDispense(Base):
    """One sale line dispensed against a national prescription (`prescription_line_id` is the national line id,
    None while the prescription is unverified); `quantity` is in the prescription's unit."""

    __tablename__ = "prescription_dispenses"

    id: Mapped[int] = mapped_column(primary_key=True)
    prescription_id: Mapped[int] = mapped_column(ForeignKey("prescriptions.id"), index=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), index=True)
    sale_line_id: Mapped[int] = mapped_column(ForeignKey("sale_lines.id"), unique=True)
    prescription_line_id: Mapped[str | None] = mapped_column(String(50))
    prescribed_code: Mapped[str | None] = mapped_column(String(50))
    prescribed_name: Mapped[str] = mapped_column(String(500), default="")
    unit_name: Mapped[str] = mapped_column(String(50))
    quantity: Mapped[int] = mapped_column(Integer)
    sold_before: Mapped[int] = mapped_column(Integer, default=0)  # so_luong_ban known for the line before this sale
    substitution_reason: Mapped[str] = mapped_column(String(500), default="")
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    prescription: Mapped[Prescription] = relationship(lazy="joined")
    sale: Mapped[Sale] = relationship(lazy="joined")
    sale_line: Mapped[SaleLine] = relationship(
        lazy="joined", backref=backref("dispense", uselist=False, lazy="selectin"))

    @property
    def substituted(self) -> bool:
        return bool(self.substitution_reason)
