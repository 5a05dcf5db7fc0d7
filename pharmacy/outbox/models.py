"""Outbox messages (one per document and target) and the log of every send attempt."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..models_base import Base, UTCDateTime, utcnow

STATUSES = ("pending", "sending", "sent", "awaiting_result", "rejected", "held", "cancelled")
TARGETS = ("national_drug_db", "eprescription", "health_data", "einvoice")


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target: Mapped[str] = mapped_column(String(30))
    kind: Mapped[str] = mapped_column(String(30))            # sale | receipt | issue | sale_void | …
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    document_type: Mapped[str] = mapped_column(String(30))   # sale | receipt | issue | sale_void | customer_return
    document_id: Mapped[int] = mapped_column(Integer)
    document_number: Mapped[str] = mapped_column(String(50))
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    depends_on_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_messages.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lease_owner: Mapped[str | None] = mapped_column(String(100))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome_unknown: Mapped[bool] = mapped_column(default=False)
    last_error: Mapped[str | None] = mapped_column(Text)
    problems: Mapped[list | None] = mapped_column(JSON)      # held: what is missing, per product
    remote_id: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    depends_on: Mapped[OutboxMessage | None] = relationship(remote_side="OutboxMessage.id", lazy="joined")
    attempt_log: Mapped[list[OutboxAttempt]] = relationship(
        lazy="select", order_by="OutboxAttempt.id", back_populates="message"
    )


class OutboxAttempt(Base):
    """One try at sending a message: when, what came back, and what we concluded."""

    __tablename__ = "outbox_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("outbox_messages.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    http_status: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(30))  # sent | transient | rejected | auth | unknown | held | …
    response_excerpt: Mapped[str | None] = mapped_column(String(500))
    remote_id: Mapped[str | None] = mapped_column(String(100))
    worker: Mapped[str | None] = mapped_column(String(100))

    message: Mapped[OutboxMessage] = relationship(back_populates="attempt_log")
