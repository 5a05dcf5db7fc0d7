"""One e-invoice per sale, and one per correction (adjustment to zero, replacement, decrease for a return)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..models_base import Base, UTCDateTime, utcnow

KINDS = ("original", "adjustment", "replacement", "decrease")


class EInvoice(Base):
    """What was (or will be) issued through the provider. `client_key` is our idempotency key, stored before any
    call; the provider's number, the tax authority's MTT code and the lookup code come back with it."""

    __tablename__ = "einvoices"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    document_type: Mapped[str] = mapped_column(String(30))   # sale | sale_void | customer_return
    document_id: Mapped[int] = mapped_column(Integer)
    document_number: Mapped[str] = mapped_column(String(50))
    original_id: Mapped[int | None] = mapped_column(ForeignKey("einvoices.id"))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_messages.id"))
    client_key: Mapped[str] = mapped_column(String(36), unique=True)
    provider: Mapped[str] = mapped_column(String(20))
    rules: Mapped[str] = mapped_column(String(20))
    template: Mapped[str] = mapped_column(String(2))
    symbol: Mapped[str] = mapped_column(String(6))
    amount: Mapped[int] = mapped_column(BigInteger)           # VND: the sale's total, or the change a correction makes
    buyer: Mapped[dict | None] = mapped_column(JSON)          # None: a walk-in buyer
    number: Mapped[str | None] = mapped_column(String(30))
    mtt_code: Mapped[str | None] = mapped_column(String(23))
    lookup_code: Mapped[str | None] = mapped_column(String(60))
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    original: Mapped[EInvoice | None] = relationship(remote_side="EInvoice.id", lazy="select")
