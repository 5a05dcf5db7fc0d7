"""Every bank-feed notification received, once per bank id, with what it was matched to (or why not)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..models_base import Base, UTCDateTime, utcnow

# paid: it settled a sale awaiting payment; the others wait on the reconciliation list.
OUTCOMES = ("paid", "wrong_amount", "unknown_memo", "late", "outgoing")
TO_RECONCILE = ("wrong_amount", "unknown_memo", "late")


class BankNotification(Base):
    __tablename__ = "bank_notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[str] = mapped_column(String(100), unique=True)  # the bank feed's id: replays stop here
    gateway: Mapped[str] = mapped_column(String(100), default="")
    account_number: Mapped[str] = mapped_column(String(50), default="")
    content: Mapped[str] = mapped_column(String(500), default="")
    transfer_type: Mapped[str] = mapped_column(String(10), default="in")
    amount: Mapped[int] = mapped_column(BigInteger)
    reference_code: Mapped[str] = mapped_column(String(100), default="")
    transaction_date: Mapped[str] = mapped_column(String(40), default="")  # as the bank wrote it (local time)
    memo: Mapped[str | None] = mapped_column(String(25))
    sale_id: Mapped[int | None] = mapped_column(ForeignKey("sales.id"), index=True)
    store_id: Mapped[int | None] = mapped_column(ForeignKey("stores.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(20), index=True)
    expected_amount: Mapped[int | None] = mapped_column(BigInteger)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    raw: Mapped[dict | None] = mapped_column(JSON)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
