"""Suppliers (chain-wide), their balance from receipts on credit less payments, the ageing, and the last price
paid for a product in a unit."""
from __future__ import annotations

import re
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..catalog.models import Product
from ..clock import local_date
from ..errors import Invalid, NotFound, msg
from ..receipts.models import Receipt, ReceiptLine
from ..stores.models import User
from .ageing import Owed, buckets, open_items
from .models import SUPPLIER_PAYMENT_METHODS, Supplier, SupplierPayment, SupplierPrice

SUPPLIER_FIELDS = ("name", "tax_code", "address", "phone")
# A Vietnamese tax code (mã số thuế): 10 digits, or 10 + "-" + 3 for a branch.
TAX_CODE = re.compile(r"^\d{10}(-\d{3})?$")


def get_supplier(session: Session, supplier_id: int, *, field: str = "supplier_id") -> Supplier:
    supplier = session.get(Supplier, supplier_id)
    if supplier is None:
        raise NotFound(msg("Supplier #%(id)s not found.", id=supplier_id), field=field)
    return supplier


def save_supplier(session: Session, values: dict, supplier: Supplier | None = None) -> Supplier:
    """Create a supplier or change one; the name is required and a tax code is 10 (or 10-3) digits, unique."""
    values = {key: (values[key] or "").strip() for key in SUPPLIER_FIELDS if key in values}
    if supplier is None and not values.get("name"):
        raise Invalid(msg("The supplier name is needed."), field="name")
    if "name" in values and not values["name"]:
        raise Invalid(msg("The supplier name is needed."), field="name")
    tax_code = values.get("tax_code")
    if tax_code:
        if not TAX_CODE.match(tax_code):
            raise Invalid(msg("A tax code has 10 digits (or 10-3 for a branch)."), field="tax_code")
        other = session.execute(select(Supplier).where(Supplier.tax_code == tax_code)).scalars().first()
        if other is not None and other is not supplier:
            raise Invalid(msg("Tax code %(tax_code)s already belongs to supplier %(name)s.",
                              tax_code=tax_code, name=other.name), field="tax_code")
    if supplier is None:
        supplier = Supplier(name="", tax_code="", address="", phone="")
        session.add(supplier)
    for key, value in values.items():
        setattr(supplier, key, value)
    session.flush()
    return supplier


def suppliers_query(q: str = ""):
    stmt = select(Supplier).order_by(Supplier.name, Supplier.id)
    q = (q or "").strip()
    if q:
        stmt = stmt.where((Supplier.tax_code == q) | func.lower(Supplier.name).contains(q.lower()))
    return stmt


def check_supplier_invoice(*, kind: str, supplier: Supplier | None, invoice_date: date | None, on_credit: bool,
                           today: date) -> None:
    """The rules of a receipt's supplier part: on credit needs a known supplier; an invoice is not dated ahead."""
    if supplier is not None and kind != "supplier":
        raise Invalid(msg("Only a receipt from a supplier names a supplier."), field="supplier_id")
    if on_credit and supplier is None:
        raise Invalid(msg("A receipt on credit needs a supplier."), field="supplier_id")
    if invoice_date is not None and invoice_date > today:
        raise Invalid(msg("The supplier's invoice date is in the future."), field="supplier_invoice_date")


def _owed(session: Session, supplier_ids: list[int]) -> dict[int, list[Owed]]:
    amount = func.sum(ReceiptLine.quantity * ReceiptLine.unit_price)
    rows = session.execute(
        select(Receipt.supplier_id, Receipt.id, Receipt.number, Receipt.supplier_invoice_date, Receipt.created_at,
               amount)
        .join(ReceiptLine, ReceiptLine.receipt_id == Receipt.id)
        .where(Receipt.supplier_id.in_(supplier_ids), Receipt.on_credit.is_(True))
        .group_by(Receipt.supplier_id, Receipt.id, Receipt.number, Receipt.supplier_invoice_date, Receipt.created_at)
    ).all()
    owed: dict[int, list[Owed]] = {supplier_id: [] for supplier_id in supplier_ids}
    for supplier_id, receipt_id, number, invoice_date, created_at, total in rows:
        owed[supplier_id].append(Owed(receipt_id, number, invoice_date or local_date(created_at), int(total or 0)))
    return owed


def _paid(session: Session, supplier_ids: list[int]) -> dict[int, int]:
    rows = session.execute(select(SupplierPayment.supplier_id, func.sum(SupplierPayment.amount))
                           .where(SupplierPayment.supplier_id.in_(supplier_ids))
                           .group_by(SupplierPayment.supplier_id)).all()
    return {supplier_id: int(total or 0) for supplier_id, total in rows}


def debts(session: Session, suppliers: list[Supplier], *, today: date) -> dict[int, dict]:
    """Per supplier: owed on credit, paid, balance, ageing buckets and the receipts still open."""
    ids = [supplier.id for supplier in suppliers]
    owed, paid = _owed(session, ids), _paid(session, ids)
    result = {}
    for supplier_id in ids:
        items = open_items(owed[supplier_id], paid.get(supplier_id, 0), today=today)
        total = sum(item.total for item in owed[supplier_id])
        result[supplier_id] = {
            "owed": total, "paid": paid.get(supplier_id, 0), "balance": total - paid.get(supplier_id, 0),
            "ageing": buckets(items),
            "open_receipts": [{"receipt_id": i.owed.receipt_id, "number": i.owed.number, "date": i.owed.on,
                               "total": i.owed.total, "open": i.open, "age_days": i.age_days} for i in items],
        }
    return result


def record_payment(session: Session, *, supplier: Supplier, amount: int, actor: User, now: datetime,
                   paid_on: date | None = None, method: str = "bank_transfer", note: str = "") -> SupplierPayment:
    """A payment to a supplier; more than the balance owed is refused (nothing is paid in advance here)."""
    if amount <= 0:
        raise Invalid(msg("The amount must be greater than 0."), field="amount")
    if method not in SUPPLIER_PAYMENT_METHODS:
        raise Invalid(msg("The payment method must be one of: %(choices)s.",
                          choices=", ".join(SUPPLIER_PAYMENT_METHODS)), field="method")
    today = local_date(now)
    if paid_on is not None and paid_on > today:
        raise Invalid(msg("The payment date is in the future."), field="paid_on")
    # Two payments at once: the second waits for the first and sees the balance it left.
    session.execute(select(Supplier.id).where(Supplier.id == supplier.id).with_for_update())
    balance = debts(session, [supplier], today=today)[supplier.id]["balance"]
    if amount > balance:
        raise Invalid(msg("The payment is more than the remaining debt (%(balance)s ₫).",
                          balance=balance), field="amount", balance=balance)
    payment = SupplierPayment(supplier_id=supplier.id, amount=amount, paid_on=paid_on or today, method=method,
                              note=(note or "").strip(), user_id=actor.id, created_at=now)
    session.add(payment)
    session.flush()
    return payment


def last_price(session: Session, *, product_id: int, unit: str, supplier_id: int | None = None,
               store_ids: list[int] | None = None) -> dict | None:
    """The unit price of the latest supplier receipt of this product in this unit (that supplier's, if named)."""
    product = session.get(Product, product_id)
    if product is None:
        raise NotFound(msg("Product #%(id)s not found.", id=product_id), field="product_id")
    found = product.unit_named(unit)
    if found is None:
        raise Invalid(msg("%(product)s has no unit \"%(unit)s\".", product=product.name, unit=unit), field="unit")
    stmt = (
        select(ReceiptLine.unit_price, Receipt.id, Receipt.number, Receipt.created_at, Receipt.supplier_name,
               Receipt.supplier_id)
        .join(Receipt, Receipt.id == ReceiptLine.receipt_id)
        .where(ReceiptLine.product_id == product_id, ReceiptLine.unit_name == found.name,
               Receipt.kind == "supplier")
        .order_by(Receipt.created_at.desc(), Receipt.id.desc()).limit(1)
    )
    if supplier_id is not None:
        stmt = stmt.where(Receipt.supplier_id == supplier_id)
    if store_ids is not None:
        stmt = stmt.where(Receipt.store_id.in_(store_ids))
    row = session.execute(stmt).first()
    if row is None:
        return _listed_price(session, product_id, found.name, supplier_id)
    price, receipt_id, number, created_at, supplier_name, found_supplier = row
    return {"product_id": product_id, "unit": found.name, "unit_price": price, "receipt_id": receipt_id,
            "receipt_number": number, "received_at": created_at, "supplier_id": found_supplier,
            "supplier_name": supplier_name, "source": "receipt"}


def _listed_price(session: Session, product_id: int, unit_name: str, supplier_id: int | None) -> dict | None:
    """No receipt yet: the supplier's price list (the chosen supplier's, else the latest imported)."""
    stmt = (select(SupplierPrice, Supplier.name).join(Supplier, Supplier.id == SupplierPrice.supplier_id)
            .where(SupplierPrice.product_id == product_id, SupplierPrice.unit_name == unit_name)
            .order_by(SupplierPrice.imported_at.desc(), SupplierPrice.id.desc()).limit(1))
    if supplier_id is not None:
        stmt = stmt.where(SupplierPrice.supplier_id == supplier_id)
    row = session.execute(stmt).first()
    if row is None:
        return None
    price, name = row
    return {"product_id": product_id, "unit": unit_name, "unit_price": price.unit_price, "receipt_id": None,
            "receipt_number": None, "received_at": price.imported_at, "supplier_id": price.supplier_id,
            "supplier_name": name, "source": "price_list"}

