"""Goods receipt documents and their lines."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..catalog.models import Product
from ..models_base import Base, UTCDateTime, utcnow

RECEIPT_KINDS = ("supplier", "customer_return", "opening")


class Receipt(Base):
    __tablename__ = "receipts"
    __table_args__ = (UniqueConstraint("store_id", "number", name="uq_receipts_store_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    number: Mapped[str] = mapped_column(String(50))
    kind: Mapped[str] = mapped_column(String(20))
    supplier_name: Mapped[str] = mapped_column(String(500), default="")
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id"), index=True)
    supplier_invoice_number: Mapped[str] = mapped_column(String(50), default="")
    supplier_invoice_date: Mapped[date | None] = mapped_column(Date)
    on_credit: Mapped[bool] = mapped_column(Boolean, default=False)  # owed to the supplier until paid
    note: Mapped[str] = mapped_column(String(500), default="")
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    lines: Mapped[list[ReceiptLine]] = relationship(lazy="selectin", order_by="ReceiptLine.id")

    @property
    def total(self) -> int:
        return sum(line.quantity * line.unit_price for line in self.lines)


class ReceiptLine(Base):
    __tablename__ = "receipt_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_id: Mapped[int] = mapped_column(ForeignKey("receipts.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    stock_lot_id: Mapped[int] = mapped_column(ForeignKey("stock_lots.id"))
    unit_name: Mapped[str] = mapped_column(String(50))
    unit_factor: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[int] = mapped_column(Integer)       # in unit_name
    base_quantity: Mapped[int] = mapped_column(Integer)  # in base units
    lot: Mapped[str] = mapped_column(String(50))
    expiry: Mapped[date] = mapped_column(Date)
    manufactured: Mapped[date | None] = mapped_column(Date)
    unit_price: Mapped[int] = mapped_column(BigInteger)  # VND per unit_name

    product: Mapped[Product] = relationship(lazy="joined")
