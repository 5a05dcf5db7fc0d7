"""Suppliers and the payments made to them."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..models_base import Base, UTCDateTime, utcnow
from ..stores.models import User

SUPPLIER_PAYMENT_METHODS = ("cash", "bank_transfer")


class Supplier(Base):
    __tablename__ = "suppliers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(500))
    tax_code: Mapped[str] = mapped_column(String(14), default="", index=True)
    address: Mapped[str] = mapped_column(String(500), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SupplierPayment(Base):
    """Money paid to a supplier against what is owed for goods received on credit."""

    __tablename__ = "supplier_payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    paid_on: Mapped[date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(20), default="bank_transfer")
    note: Mapped[str] = mapped_column(String(500), default="")
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    supplier: Mapped[Supplier] = relationship(lazy="joined")
    user: Mapped[User] = relationship(lazy="joined")


class SupplierPrice(Base):
    """A supplier's price for a product in a unit, from its latest imported price list."""

    __tablename__ = "supplier_prices"
    __table_args__ = (UniqueConstraint("supplier_id", "product_id", "unit_name",
                                       name="uq_supplier_prices_supplier_product_unit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    unit_name: Mapped[str] = mapped_column(String(50))
    unit_price: Mapped[int] = mapped_column(BigInteger)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SupplierPriceRow(Base):
    """A price-list row that matched no product (or no unit, or had no price), kept for the owner's review: matched
    by hand to a product and unit (which sets the supplier's price) or dismissed. A new import of the supplier's
    list replaces the rows still pending."""

    __tablename__ = "supplier_price_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    row: Mapped[int] = mapped_column(Integer)  # its line in the sheet
    national_code: Mapped[str] = mapped_column(String(200), default="")
    registration_no: Mapped[str] = mapped_column(String(200), default="")
    barcode: Mapped[str] = mapped_column(String(200), default="")
    name: Mapped[str] = mapped_column(String(200), default="")
    unit: Mapped[str] = mapped_column(String(200), default="")
    price: Mapped[int | None] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(30))  # no_product | ambiguous_registration_no | unit | price
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)  # pending | matched | dismissed
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))  # when matched
    unit_name: Mapped[str | None] = mapped_column(String(50))
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    supplier: Mapped[Supplier] = relationship(lazy="joined")
