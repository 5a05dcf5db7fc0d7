"""The controlled-drug ledger: one append-only row per lot movement of a controlled product, with its document and
counterparty (a buyer's name, address and ID, the prescription) — the source of the XNT and customer books."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..catalog.models import Product
from ..models_base import Base, UTCDateTime, utcnow


class ControlledEntry(Base):
    __tablename__ = "controlled_entries"
    __table_args__ = (Index("ix_controlled_entries_store_product", "store_id", "product_id", "lot"),
                      Index("ix_controlled_entries_store_created", "store_id", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    control_type: Mapped[int] = mapped_column(Integer)  # the class when written
    lot: Mapped[str] = mapped_column(String(50))
    expiry: Mapped[date] = mapped_column(Date)
    quantity: Mapped[int] = mapped_column(Integer)  # signed, base units
    kind: Mapped[str] = mapped_column(String(20))  # receipt | sale | void | return | issue | transfer | adjustment
    document_type: Mapped[str] = mapped_column(String(30))
    document_id: Mapped[int] = mapped_column(Integer)
    document_number: Mapped[str] = mapped_column(String(50))
    counterparty: Mapped[str] = mapped_column(String(500), default="")  # buyer or supplier
    buyer_address: Mapped[str] = mapped_column(String(500), default="")
    buyer_id_number: Mapped[str] = mapped_column(String(20), default="")
    prescription_code: Mapped[str] = mapped_column(String(50), default="")
    prescription_form: Mapped[str] = mapped_column(String(1), default="")
    doctor_name: Mapped[str] = mapped_column(String(200), default="")
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    product: Mapped[Product] = relationship(lazy="joined")


class ControlledIncident(Base):
    """A loss or mix-up of a controlled drug (a count variance, a transfer loss): reported within 48 hours."""

    __tablename__ = "controlled_incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    lot: Mapped[str] = mapped_column(String(50))
    quantity: Mapped[int] = mapped_column(Integer)  # signed variance, base units
    document_type: Mapped[str] = mapped_column(String(30))
    document_id: Mapped[int] = mapped_column(Integer)
    document_number: Mapped[str] = mapped_column(String(50))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deadline: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    report_note: Mapped[str] = mapped_column(String(1000), default="")
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    product: Mapped[Product] = relationship(lazy="joined")
