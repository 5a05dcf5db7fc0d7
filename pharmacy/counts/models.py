"""A stock count of one store and its lines: one per lot, expected at the snapshot, counted, and adjusted."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..catalog.models import Product
from ..models_base import Base, UTCDateTime, utcnow
from ..stock.models import SELLABLE
from ..stores.models import User

COUNTING, SUBMITTED, APPROVED, CANCELLED = "counting", "submitted", "approved", "cancelled"
COUNT_STATUSES = (COUNTING, SUBMITTED, APPROVED, CANCELLED)
SCOPES = ("all", "products")


class StockCount(Base):
    __tablename__ = "stock_counts"
    __table_args__ = (UniqueConstraint("store_id", "number", name="uq_stock_counts_store_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    number: Mapped[str] = mapped_column(String(50))
    status: Mapped[str] = mapped_column(String(20), default=COUNTING)
    scope: Mapped[str] = mapped_column(String(20), default="all")
    blind: Mapped[bool] = mapped_column(Boolean, default=False)
    product_ids: Mapped[list | None] = mapped_column(JSON)  # scope `products`: which ones
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    lines: Mapped[list[StockCountLine]] = relationship(lazy="selectin", order_by="StockCountLine.id")
    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")


class StockCountLine(Base):
    """One lot: `expected` on hand at the snapshot, `counted` (None until counted), both in base units."""

    __tablename__ = "stock_count_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    count_id: Mapped[int] = mapped_column(ForeignKey("stock_counts.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    stock_lot_id: Mapped[int | None] = mapped_column(ForeignKey("stock_lots.id"))
    lot: Mapped[str] = mapped_column(String(50))
    expiry: Mapped[date] = mapped_column(Date)
    expected: Mapped[int] = mapped_column(Integer, default=0)
    counted: Mapped[int | None] = mapped_column(Integer)
    unit_cost: Mapped[int] = mapped_column(Integer, default=0)  # VND per base unit at the snapshot
    adjusted: Mapped[int | None] = mapped_column(Integer)       # the signed movement booked at approval
    # The stock state counted: a lot with units sellable and in quarantine has a line for each.
    state: Mapped[str] = mapped_column(String(12), default=SELLABLE, server_default=SELLABLE)

    product: Mapped[Product] = relationship(lazy="joined")

    @property
    def variance(self) -> int:
        return (self.counted or 0) - self.expected

    @property
    def variance_value(self) -> int:
        return self.variance * self.unit_cost
