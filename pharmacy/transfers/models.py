"""Transfers between stores: a document, its lines (as entered) and the lots each line took at the source."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..catalog.models import Product
from ..models_base import Base, UTCDateTime, utcnow
from ..stores.models import Store, User

IN_TRANSIT, RECEIVED, DISCREPANCY, CANCELLED = "in_transit", "received", "received_with_discrepancy", "cancelled"
TRANSFER_STATUSES = (IN_TRANSIT, RECEIVED, DISCREPANCY, CANCELLED)


class Transfer(Base):
    __tablename__ = "transfers"
    __table_args__ = (UniqueConstraint("from_store_id", "number", name="uq_transfers_store_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(50))
    from_store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    to_store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    status: Mapped[str] = mapped_column(String(30), default=IN_TRANSIT, index=True)
    note: Mapped[str] = mapped_column(String(500), default="")
    discrepancy_reason: Mapped[str] = mapped_column(String(500), default="")
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    lines: Mapped[list[TransferLine]] = relationship(lazy="selectin", order_by="TransferLine.id")
    from_store: Mapped[Store] = relationship(foreign_keys=[from_store_id], lazy="joined")
    to_store: Mapped[Store] = relationship(foreign_keys=[to_store_id], lazy="joined")
    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")
    received_by: Mapped[User | None] = relationship(foreign_keys=[received_by_id], lazy="joined")

    @property
    def store_id(self) -> int:
        """The store that owns the number (the source), as for every other document."""
        return self.from_store_id


class TransferLine(Base):
    __tablename__ = "transfer_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    transfer_id: Mapped[int] = mapped_column(ForeignKey("transfers.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    unit_name: Mapped[str] = mapped_column(String(50))
    unit_factor: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[int] = mapped_column(Integer)  # in unit_name

    product: Mapped[Product] = relationship(lazy="joined")
    allocations: Mapped[list[TransferAllocation]] = relationship(lazy="selectin", order_by="TransferAllocation.id")


class TransferAllocation(Base):
    """Base units one line took from one source lot, and (once received) how many arrived in which lot."""

    __tablename__ = "transfer_allocations"

    id: Mapped[int] = mapped_column(primary_key=True)
    transfer_line_id: Mapped[int] = mapped_column(ForeignKey("transfer_lines.id"), index=True)
    source_lot_id: Mapped[int] = mapped_column(ForeignKey("stock_lots.id"))
    destination_lot_id: Mapped[int | None] = mapped_column(ForeignKey("stock_lots.id"))
    lot: Mapped[str] = mapped_column(String(50))
    expiry: Mapped[date] = mapped_column(Date)
    manufactured: Mapped[date | None] = mapped_column(Date)
    quantity: Mapped[int] = mapped_column(Integer)  # base units sent
    received_quantity: Mapped[int | None] = mapped_column(Integer)  # base units arrived; None until received
    unit_cost: Mapped[int] = mapped_column(Integer, default=0)  # VND per base unit at the source

    @property
    def lost_quantity(self) -> int:
        return 0 if self.received_quantity is None else self.quantity - self.received_quantity
