"""A shift (one user, one store, one cash drawer) and the cash put in or taken out of its drawer."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..models_base import Base, UTCDateTime, utcnow
from ..stores.models import User

CASH_MOVEMENT_KINDS = ("in", "out")


class Shift(Base):
    """Sales, returns and voids belong to the shift of the user who made them, at that store, while it was open;
    the figures at close are kept as they were counted."""

    __tablename__ = "shifts"
    __table_args__ = (
        # At most one open shift per user and store: the drawer a cash sale goes into is never in doubt.
        Index("uq_shifts_open_user_store", "user_id", "store_id", unique=True,
              sqlite_where=text("closed_at IS NULL"), postgresql_where=text("closed_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    opening_cash: Mapped[int] = mapped_column(BigInteger)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    expected_cash: Mapped[int | None] = mapped_column(BigInteger)
    counted_cash: Mapped[int | None] = mapped_column(BigInteger)
    note: Mapped[str] = mapped_column(String(500), default="")
    summary: Mapped[dict | None] = mapped_column(JSON)  # the report at close, by payment method

    user: Mapped[User] = relationship(lazy="joined", foreign_keys=[user_id])
    movements: Mapped[list[CashMovement]] = relationship(lazy="selectin", order_by="CashMovement.id")

    @property
    def status(self) -> str:
        return "open" if self.closed_at is None else "closed"

    @property
    def difference(self) -> int | None:
        if self.counted_cash is None or self.expected_cash is None:
            return None
        return self.counted_cash - self.expected_cash


class CashMovement(Base):
    """Cash put into (`in`) or taken out of (`out`) a shift's drawer, with a reason."""

    __tablename__ = "cash_movements"

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(3))
    amount: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(500))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")
