"""Goods issue documents and their lines (always naming a lot)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..catalog.models import Product
from ..models_base import Base, UTCDateTime, utcnow
from ..stores.models import User

ISSUE_KINDS = ("return_to_supplier", "destruction", "recall_return")  # recall_return: to the supplier, by a recall


class GoodsIssue(Base):
    __tablename__ = "goods_issues"
    __table_args__ = (UniqueConstraint("store_id", "number", name="uq_goods_issues_store_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    number: Mapped[str] = mapped_column(String(50))
    kind: Mapped[str] = mapped_column(String(30))
    receiver_name: Mapped[str] = mapped_column(String(500), default="")
    note: Mapped[str] = mapped_column(String(500))
    recall_id: Mapped[int | None] = mapped_column(ForeignKey("recalls.id"), index=True)  # a recall's return
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    lines: Mapped[list[IssueLine]] = relationship(lazy="selectin", order_by="IssueLine.id")
    user: Mapped[User] = relationship(lazy="joined")


class IssueLine(Base):
    __tablename__ = "issue_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("goods_issues.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    stock_lot_id: Mapped[int] = mapped_column(ForeignKey("stock_lots.id"))
    unit_name: Mapped[str] = mapped_column(String(50))
    unit_factor: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[int] = mapped_column(Integer)
    base_quantity: Mapped[int] = mapped_column(Integer)
    lot: Mapped[str] = mapped_column(String(50))
    expiry: Mapped[date] = mapped_column(Date)
    unit_cost: Mapped[int] = mapped_column(BigInteger, default=0)  # VND per base unit

    product: Mapped[Product] = relationship(lazy="joined")
