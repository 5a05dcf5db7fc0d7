"""Products with units (base unit factor 1), per-unit prices and barcodes that belong to a unit."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from ..models_base import Base, UTCDateTime, utcnow


class Product(Base):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    national_code: Mapped[str | None] = mapped_column(String(50), unique=True)
    v2_drug_id: Mapped[str | None] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(500))
    active_ingredient: Mapped[str] = mapped_column(String(500), default="")
    strength: Mapped[str] = mapped_column(String(500), default="")
    dosage_form: Mapped[str] = mapped_column(String(200), default="")
    route: Mapped[str] = mapped_column(String(200), default="")
    registration_no: Mapped[str] = mapped_column(String(50), default="")
    manufacturer: Mapped[str] = mapped_column(String(200), default="")
    country: Mapped[str] = mapped_column(String(100), default="")
    dosage: Mapped[str] = mapped_column(String(500), default="")
    prescription_only: Mapped[bool] = mapped_column(Boolean, default=False)
    special_control_type: Mapped[int] = mapped_column(Integer, default=0)  # the control class (controlled/)
    # Contains a controlled active in combination (no special form); restricted retail (22 actives, by indication).
    controlled_combination: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    restricted_retail: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # The class a 12-digit registration number suggests at import, until an owner confirms a class.
    suggested_control_type: Mapped[int | None] = mapped_column(Integer)
    vat_rate: Mapped[int | None] = mapped_column(Integer)  # VAT percent on e-invoices; None: the rules preset's
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"), index=True)  # nhóm hàng
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    category: Mapped[Category | None] = relationship()  # many-to-one: read from the identity map once loaded
    units: Mapped[list[ProductUnit]] = relationship(
        back_populates="product", lazy="selectin", order_by="ProductUnit.factor", cascade="all, delete-orphan"
    )

    @property
    def is_drug(self) -> bool:
        """Non-drug goods (no active ingredient) are stocked and sold but never reported nationally."""
        return bool(self.active_ingredient.strip())

    @property
    def base_unit(self) -> ProductUnit:
        return next(unit for unit in self.units if unit.is_base)

    def unit_named(self, name: str) -> ProductUnit | None:
        wanted = name.strip().casefold()
        return next((unit for unit in self.units if unit.name.casefold() == wanted), None)


class Category(Base):
    """A product category (nhóm hàng) the owner files products under; reports and lists filter by it."""

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ProductUnit(Base):
    __tablename__ = "product_units"
    __table_args__ = (UniqueConstraint("product_id", "name", name="uq_product_units_product_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    factor: Mapped[int] = mapped_column(Integer)
    is_base: Mapped[bool] = mapped_column(Boolean, default=False)
    price: Mapped[int] = mapped_column(BigInteger, default=0)
    v2_unit_id: Mapped[str | None] = mapped_column(String(50))  # CSDL Dược v2 packaging unit_id, from its catalogue
    # Not a column: one store's own price of the unit, read with it only by products_with_units(store_id=…)
    # (catalog/queries.py); None there means the store sells at `price`.
    store_price: Mapped[int | None] = query_expression()

    product: Mapped[Product] = relationship(back_populates="units")
    barcodes: Mapped[list[Barcode]] = relationship(
        back_populates="unit", lazy="selectin", order_by="Barcode.code", cascade="all, delete-orphan"
    )


class Barcode(Base):
    __tablename__ = "barcodes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("product_units.id", ondelete="CASCADE"), index=True)
    internal: Mapped[bool] = mapped_column(Boolean, default=False)

    unit: Mapped[ProductUnit] = relationship(back_populates="barcodes")


class CatalogSyncState(Base):
    """Where the incremental import of a national catalogue stands: the last `last_update_time` read."""

    __tablename__ = "catalog_sync_states"

    source: Mapped[str] = mapped_column(String(30), primary_key=True)   # e.g. "csdl_duoc_v2"
    watermark: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_summary: Mapped[str] = mapped_column(Text, default="")


class StorePrice(Base):
    """One store's price for a product unit, overriding the chain price (`ProductUnit.price`) in that store."""

    __tablename__ = "store_prices"

    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), primary_key=True)
    product_unit_id: Mapped[int] = mapped_column(ForeignKey("product_units.id", ondelete="CASCADE"),
                                                 primary_key=True, index=True)
    price: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
