"""The complaints book and the adverse-reaction book (compliance.md §1): date, customer, product/lot, the complaint
or reaction, how it was handled, the staff member."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from ..catalog.services import get_product
from ..errors import Invalid, msg
from ..stores.models import User
from .entries import check_open
from .models import REPORT_KINDS, CustomerReport
from .rules import BookRules


def record_report(session: Session, *, kind: str, store_id: int, data: dict, actor: User, now: datetime,
                  rules: BookRules) -> CustomerReport:
    """data: entry_date, customer_name, customer_phone?, product_id?, lot?, description, handling?"""
    if kind not in REPORT_KINDS:
        raise Invalid(msg("Unknown register."), field="kind")
    check_open(data["entry_date"], rules=rules, now=now, field="entry_date")
    texts = {name: (data.get(name) or "").strip()
             for name in ("customer_name", "customer_phone", "lot", "description", "handling")}
    for name in ("customer_name", "description"):
        if not texts[name]:
            raise Invalid(msg("Must not be empty."), field=name)
    product_id = data.get("product_id")
    if product_id is not None:
        product_id = get_product(session, product_id).id
    elif texts["lot"]:
        raise Invalid(msg("A lot needs its product."), field="product_id")
    report = CustomerReport(kind=kind, store_id=store_id, entry_date=data["entry_date"], product_id=product_id,
                            user_id=actor.id, created_at=now, **texts)
    session.add(report)
    session.flush()
    return report
