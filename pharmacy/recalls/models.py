"""Recall decisions (quyết định thu hồi) and the lots they name."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..catalog.models import Product
from ..models_base import Base, UTCDateTime, utcnow

# Days from the decision date to finish the recall, per level (compliance.md §2; TT 11/2018 Art. 13).
DEADLINE_DAYS = {1: 3, 2: 15, 3: 30}


class Recall(Base):
    __tablename__ = "recalls"
    __table_args__ = (UniqueConstraint("decision_number", "product_id", name="uq_recalls_decision_product"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_number: Mapped[str] = mapped_column(String(100))
    decision_date: Mapped[date] = mapped_column(Date)
    level: Mapped[int] = mapped_column(Integer)
    registration_no: Mapped[str | None] = mapped_column(String(50))
    gtin: Mapped[str | None] = mapped_column(String(14))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    all_lots: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str] = mapped_column(String(500))
    source: Mapped[str] = mapped_column(String(500), default="")
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    product: Mapped[Product] = relationship(lazy="joined")
    lot_rows: Mapped[list[RecallLot]] = relationship(lazy="selectin", order_by="RecallLot.id",
                                                     cascade="all, delete-orphan")

    @property
    def lots(self) -> list[str] | str:
        return "all" if self.all_lots else [row.lot for row in self.lot_rows]

    @property
    def deadline(self) -> date:
        return self.decision_date + timedelta(days=DEADLINE_DAYS[self.level])

    def covers(self, lot: str) -> bool:
        return self.all_lots or any(row.lot == lot for row in self.lot_rows)


class RecallLot(Base):
    __tablename__ = "recall_lots"
    __table_args__ = (UniqueConstraint("recall_id", "lot", name="uq_recall_lots_recall_lot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recall_id: Mapped[int] = mapped_column(ForeignKey("recalls.id"))
    lot: Mapped[str] = mapped_column(String(50))
