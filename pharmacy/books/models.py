"""The registers' rows. Every row is append-only: a correction is a new row that `reverses_id` the original, with a
reason, dated the day it is written."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Integer, Numeric, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from ..catalog.models import Product
from ..models_base import Base, UTCDateTime, utcnow
from ..stores.models import User

PASS, FAIL = "pass", "fail"
CONCLUSIONS = (PASS, FAIL)
COMPLAINT, ADVERSE_REACTION = "complaint", "adverse_reaction"
REPORT_KINDS = (COMPLAINT, ADVERSE_REACTION)


class Entry:
    """The columns every register row has: store, the local day it belongs to, who wrote it when, and the reversal
    link (a reversal names the row it cancels and why; a row is reversed at most once)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    entry_date: Mapped[date] = mapped_column(Date)
    reversal_reason: Mapped[str] = mapped_column(String(500), default="")
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @declared_attr
    def reverses_id(cls) -> Mapped[int | None]:  # noqa: N805 - a declared attribute takes the class
        return mapped_column(ForeignKey(f"{cls.__tablename__}.id"), unique=True)

    @declared_attr
    def user(cls) -> Mapped[User]:  # noqa: N805
        return relationship(User, lazy="joined")

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None


class QualityCheck(Entry, Base):
    """A periodic or ad hoc quality check of one lot (sổ kiểm soát chất lượng)."""

    __tablename__ = "quality_checks"
    __table_args__ = (Index("ix_quality_checks_store_date", "store_id", "entry_date"),)

    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    lot: Mapped[str] = mapped_column(String(50))
    expiry: Mapped[date] = mapped_column(Date)
    unit: Mapped[str] = mapped_column(String(50))
    quantity_checked: Mapped[int] = mapped_column(Integer)
    sensory: Mapped[str] = mapped_column(String(500))
    conclusion: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(String(500), default="")
    action: Mapped[str] = mapped_column(String(500), default="")
    quarantined: Mapped[int] = mapped_column(Integer, default=0)  # base units moved to quarantine by a "fail"

    product: Mapped[Product] = relationship(lazy="joined")


class ClimateReading(Entry, Base):
    """A temperature and humidity reading of one storage area (sổ theo dõi nhiệt độ, độ ẩm)."""

    __tablename__ = "climate_readings"
    __table_args__ = (Index("ix_climate_readings_store_date", "store_id", "entry_date"),)

    area: Mapped[str] = mapped_column(String(100))
    read_at: Mapped[datetime] = mapped_column(UTCDateTime)
    temperature: Mapped[Decimal] = mapped_column(Numeric(4, 1))
    humidity: Mapped[Decimal] = mapped_column(Numeric(4, 1))
    device: Mapped[str] = mapped_column(String(100))
    corrective_note: Mapped[str] = mapped_column(String(500), default="")
    source: Mapped[str] = mapped_column(String(20), default="manual")  # manual | logger


class CustomerReport(Entry, Base):
    """A customer's complaint or an adverse drug reaction (sổ khiếu nại / theo dõi phản ứng có hại)."""

    __tablename__ = "customer_reports"
    __table_args__ = (Index("ix_customer_reports_store_kind_date", "store_id", "kind", "entry_date"),)

    kind: Mapped[str] = mapped_column(String(20))
    customer_name: Mapped[str] = mapped_column(String(200))
    customer_phone: Mapped[str] = mapped_column(String(20), default="")
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))
    lot: Mapped[str] = mapped_column(String(50), default="")
    description: Mapped[str] = mapped_column(String(2000))
    handling: Mapped[str] = mapped_column(String(2000), default="")

    product: Mapped[Product | None] = relationship(lazy="joined")
