"""Creating, changing and finding customers; their purchase history (flush only, the edge commits)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..errors import Conflict, Invalid, NotFound, msg
from ..sales.models import CustomerReturn, Sale, SaleVoid
from .models import Customer
from .phones import normalize_phone

FIELDS = ("phone", "name", "birth_year", "address", "allergies", "notes")


def customer_by_phone(session: Session, phone: str) -> Customer | None:
    return session.execute(select(Customer).where(Customer.phone == normalize_phone(phone))).scalar_one_or_none()


def get_customer(session: Session, customer_id: int, *, field: str = "customer_id") -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(msg("No customer number %(id)s.", id=customer_id), field=field)
    return customer


def save_customer(session: Session, values: dict, *, now: datetime, customer: Customer | None = None) -> Customer:
    """Create (customer None) or change a customer; the phone is normalised and unique across the chain."""
    values = dict(values)
    if "phone" in values:
        values["phone"] = normalize_phone(values["phone"])
        other = session.execute(select(Customer).where(Customer.phone == values["phone"])).scalar_one_or_none()
        if other is not None and other is not customer:
            raise Conflict(msg("Phone number %(phone)s already belongs to customer %(name)s.",
                               phone=values['phone'], name=other.name), field="phone",
                           customer_id=other.id)
    if "name" in values and not (values["name"] or "").strip():
        raise Invalid(msg("The customer's name is needed."), field="name")
    if values.get("birth_year") is not None and not 1900 <= values["birth_year"] <= now.year:
        raise Invalid(msg("The birth year must be between 1900 and %(year)s.", year=now.year), field="birth_year")
    if customer is None:
        customer = Customer(created_at=now, address="", allergies="", notes="")
        session.add(customer)
    for key in FIELDS:
        if key in values:
            value = values[key]
            setattr(customer, key, value.strip() if isinstance(value, str) else value)
    customer.updated_at = now
    session.flush()
    return customer


def search_customers(q: str | None):
    """A statement listing customers by name, a phone prefix matching the normalised digits of `q`."""
    stmt = select(Customer).order_by(Customer.name, Customer.id)
    if q:
        digits = "".join(ch for ch in q if ch.isdigit())
        if digits.startswith("84") and len(digits) > 9:
            digits = "0" + digits[2:]
        conditions = [Customer.name.ilike(f"%{q.strip()}%")]
        if digits:
            conditions.append(Customer.phone.contains(digits))
        stmt = stmt.where(or_(*conditions))
    return stmt


def purchases(customer: Customer, store_ids: list[int] | None):
    """A statement of the customer's sales, newest first, in the stores the reader may see (None: all)."""
    stmt = select(Sale).where(Sale.customer_id == customer.id).order_by(Sale.created_at.desc(), Sale.id.desc())
    return stmt if store_ids is None else stmt.where(Sale.store_id.in_(store_ids))


def total_spent(session: Session, customer: Customer, store_ids: list[int] | None) -> int:
    """VND the customer paid for sales that stand: totals of sales not voided, less what returns refunded."""
    kept = select(Sale.id).where(Sale.customer_id == customer.id, ~Sale.id.in_(select(SaleVoid.sale_id)))
    if store_ids is not None:
        kept = kept.where(Sale.store_id.in_(store_ids))
    totals = session.scalar(select(func.coalesce(func.sum(Sale.total), 0)).where(Sale.id.in_(kept)))
    refunds = session.scalar(select(func.coalesce(func.sum(CustomerReturn.refund_total), 0))
                             .where(CustomerReturn.sale_id.in_(kept)))
    return int(totals) - int(refunds)
