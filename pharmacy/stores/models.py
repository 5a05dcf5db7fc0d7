"""Stores, users and which stores a pharmacist may act in."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Column, Date, ForeignKey, Integer, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..models_base import Base, UTCDateTime, utcnow

ROLES = ("owner", "pharmacist")
NATIONAL_APIS = ("legacy", "v2")

user_stores = Table(
    "user_stores",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("store_id", ForeignKey("stores.id", ondelete="CASCADE"), primary_key=True),
)


class Store(Base):
    __tablename__ = "stores"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(500), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    national_facility_code: Mapped[str] = mapped_column(String(50), default="")
    national_username: Mapped[str] = mapped_column(String(50), default="")
    national_password_encrypted: Mapped[str | None] = mapped_column(String(500))
    national_api: Mapped[str] = mapped_column(String(10), default="legacy")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The owner's choice: may this store's pharmacists see cost, margin and stock values at cost in reports?
    pharmacists_see_cost: Mapped[bool] = mapped_column(Boolean, default=False)
    # Sales, returns and voids only from an open cash shift of the user at this store (pharmacy/shifts).
    require_shift: Mapped[bool] = mapped_column(Boolean, default=False)
    # Where bank transfers at the counter go (VietQR): the bank's 6-digit NAPAS BIN, the account and its holder.
    bank_bin: Mapped[str] = mapped_column(String(6), default="")
    bank_account: Mapped[str] = mapped_column(String(19), default="")
    bank_account_name: Mapped[str] = mapped_column(String(100), default="")
    # The owner's ceiling on a pharmacist's discount, % of the gross (a line's or the sale's); above: owner approves.
    pharmacist_max_discount_percent: Mapped[int] = mapped_column(Integer, default=0)
    # Tax e-invoices from the cash register (pharmacy/einvoices): the provider (None = off) and the series.
    einvoice_provider: Mapped[str | None] = mapped_column(String(20))
    seller_tax_code: Mapped[str] = mapped_column(String(14), default="")
    einvoice_template: Mapped[str] = mapped_column(String(2), default="")
    einvoice_symbol: Mapped[str] = mapped_column(String(6), default="")
    einvoice_authority_code: Mapped[str] = mapped_column(String(5), default="")
    einvoice_rules: Mapped[str] = mapped_column(String(20), default="decree-70-2025")
    einvoice_username: Mapped[str] = mapped_column(String(100), default="")
    einvoice_password_encrypted: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def takes_bank_transfers(self) -> bool:
        return bool(self.bank_bin and self.bank_account)

    @property
    def has_national_password(self) -> bool:
        return bool(self.national_password_encrypted)

    @property
    def has_einvoice_password(self) -> bool:
        return bool(self.einvoice_password_encrypted)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(50), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)  # set by an owner's reset
    # A pharmacist holding a practising licence (chứng chỉ hành nghề dược): GPP asks for one on duty.
    licensed_pharmacist: Mapped[bool] = mapped_column(Boolean, default=False)
    token_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    stores: Mapped[list[Store]] = relationship(secondary=user_stores, lazy="selectin", order_by=Store.code)

    @property
    def is_owner(self) -> bool:
        return self.role == "owner"

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def can_access_store(self, store_id: int) -> bool:
        return self.is_owner or any(store.id == store_id for store in self.stores)


class OpeningBalance(Base):
    """The stock on hand per lot when a store switched to the CSDL Dược v2 API: its first v2 document.

    `message_id` is the outbox row that reports it; the store's messages from that id on go to v2, older ones
    still go to the API they were written for.
    """

    __tablename__ = "opening_balances"
    __table_args__ = (UniqueConstraint("store_id", "number", name="uq_opening_balances_store_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    number: Mapped[str] = mapped_column(String(50))
    as_of: Mapped[datetime] = mapped_column(UTCDateTime)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_messages.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    lines: Mapped[list[OpeningBalanceLine]] = relationship(lazy="selectin", order_by="OpeningBalanceLine.id",
                                                           cascade="all, delete-orphan")


class OpeningBalanceLine(Base):
    """One lot on hand at the switch, in base units at its cost per base unit."""

    __tablename__ = "opening_balance_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    opening_balance_id: Mapped[int] = mapped_column(ForeignKey("opening_balances.id", ondelete="CASCADE"),
                                                    index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    stock_lot_id: Mapped[int] = mapped_column(ForeignKey("stock_lots.id"))
    lot: Mapped[str] = mapped_column(String(50))
    expiry: Mapped[date] = mapped_column(Date)
    manufactured: Mapped[date | None] = mapped_column(Date)
    quantity: Mapped[int] = mapped_column(Integer)
    unit_cost: Mapped[int] = mapped_column(Integer, default=0)

    product: Mapped["Product"] = relationship(lazy="joined")  # noqa: F821 - resolved by the model registry
