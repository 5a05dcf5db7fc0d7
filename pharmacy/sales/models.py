"""Sales with lines and FEFO lot allocations; voids and customer returns are documents of their own."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..catalog.models import Product
from ..models_base import Base, UTCDateTime, utcnow
from ..prescriptions.models import Prescription
from ..stores.models import User

PAYMENT_METHODS = ("cash", "bank_transfer", "card")
PAYMENT_STATUSES = ("paid", "awaiting_payment")


class Sale(Base):
    __tablename__ = "sales"
    __table_args__ = (UniqueConstraint("store_id", "number", name="uq_sales_store_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    number: Mapped[str] = mapped_column(String(50))
    customer_name: Mapped[str] = mapped_column(String(200), default="")
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    payment_method: Mapped[str] = mapped_column(String(20), default="cash")
    # A bank transfer waits for the bank's notification (pharmacy/payments); its national messages wait with it.
    payment_status: Mapped[str] = mapped_column(String(20), default="paid")
    payment_memo: Mapped[str | None] = mapped_column(String(25), unique=True)
    payment_qr: Mapped[str | None] = mapped_column(String(512))  # the EMVCo payload shown at the counter
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The owner who marked a transfer received by hand (the bank feed missed it): the audit of that decision.
    payment_confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    amount_tendered: Mapped[int | None] = mapped_column(BigInteger)
    total: Mapped[int] = mapped_column(BigInteger, default=0)  # net: what the customer pays
    discount_amount: Mapped[int] = mapped_column(BigInteger, default=0)  # the cart's discount (lines have theirs)
    discount_reason: Mapped[str] = mapped_column(String(200), default="")
    discount_approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    prescription_id: Mapped[int | None] = mapped_column(ForeignKey("prescriptions.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    lines: Mapped[list[SaleLine]] = relationship(lazy="selectin", order_by="SaleLine.id")
    prescription: Mapped[Prescription | None] = relationship(lazy="joined")
    seller: Mapped[User] = relationship(lazy="joined", foreign_keys=[user_id])
    void: Mapped[SaleVoid | None] = relationship(lazy="joined", back_populates="sale")
    returns: Mapped[list[CustomerReturn]] = relationship(lazy="select", order_by="CustomerReturn.id", viewonly=True)

    @property
    def status(self) -> str:
        return "voided" if self.void else "completed"

    @property
    def gross(self) -> int:
        """VND at list prices, before any discount."""
        return sum(line.gross for line in self.lines)

    @property
    def discount_total(self) -> int:
        return self.gross - self.total

    @property
    def change(self) -> int:
        """VND to give back on a cash payment: what was tendered beyond the total."""
        return max((self.amount_tendered or 0) - self.total, 0)

    @property
    def refund_due_on_void(self) -> int:
        """VND to hand back when the sale is voided: the total less what its returns already refunded."""
        return self.total - sum(customer_return.refund_total for customer_return in self.returns)


class SaleLine(Base):
    __tablename__ = "sale_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    unit_name: Mapped[str] = mapped_column(String(50))
    unit_factor: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[int] = mapped_column(Integer)      # in unit_name
    unit_price: Mapped[int] = mapped_column(BigInteger)  # VND per unit_name
    amount: Mapped[int] = mapped_column(BigInteger)  # net of both discounts: returns refund it pro rata
    discount_amount: Mapped[int] = mapped_column(BigInteger, default=0)  # the line's own discount
    cart_discount_share: Mapped[int] = mapped_column(BigInteger, default=0)  # its part of the cart's discount
    returned_base_quantity: Mapped[int] = mapped_column(Integer, default=0)
    directions: Mapped[str | None] = mapped_column(String(300))  # as typed: a code or free text
    directions_text: Mapped[str | None] = mapped_column(String(500))  # as printed, in full Vietnamese
    # a controlled drug on a paper prescription: the quantity it gives, in unit_name (a national one keeps its own)
    prescribed_quantity: Mapped[int | None] = mapped_column(Integer)

    product: Mapped[Product] = relationship(lazy="joined")
    allocations: Mapped[list[SaleAllocation]] = relationship(lazy="selectin", order_by="SaleAllocation.id")

    @property
    def base_quantity(self) -> int:
        return self.quantity * self.unit_factor

    @property
    def gross(self) -> int:
        return self.quantity * self.unit_price


class SaleAllocation(Base):
    """How many base units of a sale line came from which lot."""

    __tablename__ = "sale_allocations"

    id: Mapped[int] = mapped_column(primary_key=True)
    sale_line_id: Mapped[int] = mapped_column(ForeignKey("sale_lines.id"), index=True)
    stock_lot_id: Mapped[int] = mapped_column(ForeignKey("stock_lots.id"))
    lot: Mapped[str] = mapped_column(String(50))
    expiry: Mapped[date] = mapped_column(Date)
    quantity: Mapped[int] = mapped_column(Integer)
    returned_quantity: Mapped[int] = mapped_column(Integer, default=0)
    # VND per base unit of the lot at the moment of sale: margins and the reversal of voids/returns use it,
    # so a later receipt of the same lot at another price never rewrites the cost of what was already sold.
    unit_cost: Mapped[int] = mapped_column(Integer, default=0)


class SaleVoid(Base):
    """The cancellation of a whole sale; unique per sale so a second void is refused."""

    __tablename__ = "sale_voids"

    id: Mapped[int] = mapped_column(primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), unique=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    number: Mapped[str] = mapped_column(String(50))
    reason: Mapped[str] = mapped_column(String(500))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    sale: Mapped[Sale] = relationship(back_populates="void")
    user: Mapped[User] = relationship(lazy="joined")

    @property
    def refund(self) -> int:
        return self.sale.refund_due_on_void


class CustomerReturn(Base):
    """Goods a customer brought back from a recorded sale."""

    __tablename__ = "customer_returns"

    id: Mapped[int] = mapped_column(primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), index=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    number: Mapped[str] = mapped_column(String(50))
    reason: Mapped[str] = mapped_column(String(500), default="")
    refund_total: Mapped[int] = mapped_column(BigInteger, default=0)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    lines: Mapped[list[ReturnLine]] = relationship(lazy="selectin", order_by="ReturnLine.id")
    sale: Mapped[Sale] = relationship(lazy="joined")
    user: Mapped[User] = relationship(lazy="joined")


class ReturnLine(Base):
    __tablename__ = "return_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("customer_returns.id"), index=True)
    sale_line_id: Mapped[int] = mapped_column(ForeignKey("sale_lines.id"))
    sale_allocation_id: Mapped[int] = mapped_column(ForeignKey("sale_allocations.id"))
    stock_lot_id: Mapped[int] = mapped_column(ForeignKey("stock_lots.id"))
    lot: Mapped[str] = mapped_column(String(50))
    expiry: Mapped[date] = mapped_column(Date)
    base_quantity: Mapped[int] = mapped_column(Integer)
    refund: Mapped[int] = mapped_column(BigInteger, default=0)
    # Where the units went: quarantine (the store's default, and always for a recalled lot) or back to sellable.
    state: Mapped[str] = mapped_column(String(12), default="sellable", server_default="sellable")

    sale_line: Mapped[SaleLine] = relationship(lazy="joined")
