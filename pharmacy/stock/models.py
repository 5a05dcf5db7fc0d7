"""On-hand stock per (store, product, lot, expiry), its ledger of movements, and per-store minimums."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..catalog.models import Product
from ..models_base import Base, UTCDateTime, utcnow

MOVEMENT_KINDS = ("receipt", "sale", "void", "return", "issue", "transfer", "adjustment", "quarantine", "release",
                  "opening")  # opening: a retention purge's carry-forward (books/ledger_purge.py)
SELLABLE, QUARANTINE = "sellable", "quarantine"
STOCK_STATES = (SELLABLE, QUARANTINE)


class StockLot(Base):
    """On-hand quantity of one lot in one store and state, in base units; always equals the sum of its movements.

    A lot with quarantined units has a second row in state `quarantine`: never picked, sold or transferred; units
    move between the two rows by a movement pair (quarantine / release)."""

    __tablename__ = "stock_lots"
    __table_args__ = (
        UniqueConstraint("store_id", "product_id", "lot", "expiry", "state", name="uq_stock_lots_identity"),
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
        # quantity carried in the index: stock on hand per (store, product) is read without the table (issue 13)
        Index("ix_stock_lots_store_product_expiry", "store_id", "product_id", "expiry",
              postgresql_include=["quantity"]),
        # value on hand and expiry exposure per store (reports/overview.py), read without the table
        Index("ix_stock_lots_on_hand", "store_id", "expiry", postgresql_include=["quantity", "unit_cost", "state"],
              postgresql_where=text("quantity > 0"), sqlite_where=text("quantity > 0")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    lot: Mapped[str] = mapped_column(String(50))
    expiry: Mapped[date] = mapped_column(Date)
    manufactured: Mapped[date | None] = mapped_column(Date)
    quantity: Mapped[int] = mapped_column(Integer, default=0)
    unit_cost: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(12), default=SELLABLE, server_default=SELLABLE)

    # Loaded only where a page or report needs it: the counter locks lots many times per sale.
    product: Mapped[Product] = relationship(lazy="select")


class Movement(Base):
    """One immutable change of stock with the document and the person behind it."""

    __tablename__ = "movements"
    __table_args__ = (Index("ix_movements_store_product", "store_id", "product_id"),
                      Index("ix_movements_store_created", "store_id", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    stock_lot_id: Mapped[int] = mapped_column(ForeignKey("stock_lots.id"), index=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[int] = mapped_column(Integer)  # signed, base units
    kind: Mapped[str] = mapped_column(String(20))
    document_type: Mapped[str] = mapped_column(String(30))
    document_id: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StockSetting(Base):
    """Per (store, product) settings such as the minimum quantity to keep on hand."""

    __tablename__ = "stock_settings"

    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), primary_key=True)
    min_quantity: Mapped[int] = mapped_column(Integer, default=0)


class StockStateChange(Base):
    """Units of one lot moved into quarantine or released back to sellable, with the reason (the document of the
    movement pair; a recall's quarantine names the recall)."""

    __tablename__ = "stock_state_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    lot: Mapped[str] = mapped_column(String(50))
    expiry: Mapped[date] = mapped_column(Date)
    quantity: Mapped[int] = mapped_column(Integer)  # base units moved
    to_state: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(String(500))
    recall_id: Mapped[int | None] = mapped_column(ForeignKey("recalls.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
