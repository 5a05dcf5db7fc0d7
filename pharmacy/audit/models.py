"""Audit trail rows, the hash-chained journal of documents with its head per store, and verification results."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..models_base import Base, UTCDateTime, utcnow

CATALOGUE_CHAIN = 0  # the chain of price changes: prices belong to the catalogue, not to one store
GENESIS = "0" * 64   # the previous hash of a chain's first entry


class AuditEntry(Base):
    """One write: who (user, or the console), when, from where (IP or `cli`), what (entity and id, before → after)."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    username: Mapped[str] = mapped_column(String(100), default="")
    source: Mapped[str] = mapped_column(String(64), default="")  # the client's IP, or "cli"
    action: Mapped[str] = mapped_column(String(200), default="")  # "POST /api/v1/sales" or the command
    entity: Mapped[str] = mapped_column(String(50))  # table name (products, stores, …) or document kind
    entity_id: Mapped[str] = mapped_column(String(50), default="")
    label: Mapped[str] = mapped_column(String(100), default="")  # a document number when there is one
    operation: Mapped[str] = mapped_column(String(10), default="write")  # create | update | delete | write
    changes: Mapped[dict | None] = mapped_column(JSON)  # {field: [before, after]}


class JournalEntry(Base):
    """One document in its store's chain: the hash of its canonical content and of the previous entry."""

    __tablename__ = "journal_entries"
    __table_args__ = (UniqueConstraint("store_id", "seq", name="uq_journal_entries_store_seq"),
                      Index("ix_journal_entries_kind_document", "kind", "document_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(Integer)  # CATALOGUE_CHAIN for price changes
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    document_id: Mapped[int] = mapped_column(Integer)
    document_number: Mapped[str] = mapped_column(String(50))
    content_hash: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class JournalHead(Base):
    """A chain's last entry; its row lock orders two documents of one store (the chain never forks)."""

    __tablename__ = "journal_heads"

    store_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(64), default=GENESIS)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)  # documents from then on must be in the chain


class PriceChange(Base):
    """A unit's list price changed: the document of the catalogue chain."""

    __tablename__ = "price_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_unit_id: Mapped[int] = mapped_column(Integer, index=True)  # no key: the change outlives a removed unit
    product_id: Mapped[int] = mapped_column(Integer)
    unit_name: Mapped[str] = mapped_column(String(50))
    old_price: Mapped[int | None] = mapped_column(BigInteger)
    new_price: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def number(self) -> str:
        return f"GIA-{self.id:06d}"


class StorePriceChange(Base):
    """A store's own price of a unit set, changed or removed (`new_price` None: the chain price applies again): a
    document of that store's chain."""

    __tablename__ = "store_price_changes"
    __table_args__ = (Index("ix_store_price_changes_store_unit", "store_id", "product_unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    product_unit_id: Mapped[int] = mapped_column(Integer)  # no key: the change outlives a removed unit
    product_id: Mapped[int] = mapped_column(Integer)
    unit_name: Mapped[str] = mapped_column(String(50))
    old_price: Mapped[int | None] = mapped_column(BigInteger)
    new_price: Mapped[int | None] = mapped_column(BigInteger)
    user_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def number(self) -> str:
        return f"GCH-{self.id:06d}"


class AuditVerification(Base):
    """One run of the chain verification, shown on the dashboard."""

    __tablename__ = "audit_verifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ok: Mapped[bool] = mapped_column(Boolean)
    entries: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(String(1000), default="")  # in English (Vietnamese in runs before findings)
    findings: Mapped[list | None] = mapped_column(JSON)  # [{msgid, params}] per chain found wrong; None: older run


class Purge(Base):
    """One run of `retention purge`: ledger documents dated before `before` archived (the ZIPs' SHA-256 in
    `archives`) and deleted; their stock carried into one opening movement per lot dated the day before."""

    __tablename__ = "purges"

    id: Mapped[int] = mapped_column(primary_key=True)
    before: Mapped[date] = mapped_column(Date, index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    documents: Mapped[int] = mapped_column(Integer, default=0)
    archives: Mapped[list | None] = mapped_column(JSON)  # [{"file", "store", "sha256"}]


class PurgedRange(Base):
    """Consecutive entries of one chain whose documents a purge archived and deleted: the verification accepts their
    documents missing (the entries themselves stay, so the chain still links) and nothing else."""

    __tablename__ = "purged_ranges"
    __table_args__ = (Index("ix_purged_ranges_store_seq", "store_id", "seq_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    purge_id: Mapped[int] = mapped_column(ForeignKey("purges.id"), index=True)
    store_id: Mapped[int] = mapped_column(Integer)
    seq_from: Mapped[int] = mapped_column(Integer)
    seq_to: Mapped[int] = mapped_column(Integer)
