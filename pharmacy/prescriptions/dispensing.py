"""Selling against a prescription: each sale line tied to its prescribed line, never more than remains,
substitutions with a reason, and the reports to the national systems queued in the sale's transaction."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from ..errors import Forbidden, Invalid, msg
from ..outbox.models import OutboxMessage
from ..outbox.services import enqueue
from ..sales.models import Sale, SaleVoid
from ..stores.models import User
from . import snapshot
from .dispenses import PrescriptionDispense
from .matching import prescription_unit
from .models import Prescription
from .rules import is_substitution, may_substitute, remaining

ERX, HEALTH_DATA = "eprescription", "health_data"
REPORT_TARGETS = (ERX, HEALTH_DATA)
REPORT_KIND = "dispense"


@dataclass(frozen=True)
class LineState:
    """A prescribed line now: what was reported sold nationally plus what this store gave that the lookup cannot
    show yet."""

    line_id: str
    prescribed: int
    sold_national: int
    pending_local: int

    @property
    def sold(self) -> int:
        return self.sold_national + self.pending_local

    @property
    def remaining(self) -> int:
        return remaining(self.prescribed, self.sold)


def pending_local(session: Session, prescription: Prescription) -> Counter:
    """Quantities given here whose report had not been sent when the prescription was last looked up."""
    report = and_(OutboxMessage.target == ERX, OutboxMessage.document_type == "sale",
                  OutboxMessage.document_id == PrescriptionDispense.sale_id)
    rows = session.execute(
        select(PrescriptionDispense.prescription_line_id, PrescriptionDispense.quantity, OutboxMessage.status,
               OutboxMessage.sent_at)
        .outerjoin(OutboxMessage, report)
        .outerjoin(SaleVoid, SaleVoid.sale_id == PrescriptionDispense.sale_id)
        .where(PrescriptionDispense.prescription_id == prescription.id, SaleVoid.id.is_(None))
    ).all()
    pending: Counter = Counter()
    checked = prescription.checked_at
    for line_id, quantity, status, sent_at in rows:
        reflected = status == "sent" and checked is not None and sent_at is not None and sent_at <= checked
        if not reflected:
            pending[line_id] += quantity
    return pending


def line_states(session: Session, prescription: Prescription) -> dict[str, LineState]:
    found = snapshot.prescribed(prescription)
    if found is None:
        return {}
    pending = pending_local(session, prescription)
    return {line.id: LineState(line.id, line.prescribed, line.sold, pending[line.id]) for line in found.lines}


def dispense(session: Session, *, sale: Sale, prescription: Prescription, lines: list[dict], actor: User,
             now: datetime, targets: tuple[str, ...] = REPORT_TARGETS) -> list[PrescriptionDispense]:
    """Tie the sale's lines (already flushed, in input order) to the prescription and queue its reports."""
    if prescription.kind != "national":
        return []
    # Two counters filling one prescription at once: the second waits here and then sees the first's lines.
    session.execute(select(Prescription.id).where(Prescription.id == prescription.id).with_for_update())
    found = snapshot.prescribed(prescription)
    states = line_states(session, prescription) if found else {}
    by_code = {line.code.casefold(): line for line in found.lines if line.code} if found else {}
    wanted: Counter = Counter()
    rows = []
    for index, (data, sale_line) in enumerate(zip(lines, sale.lines, strict=True)):
        product, where = sale_line.product, f"lines[{index}]"
        reason = (data.get("substitution_reason") or "").strip()
        if found is None:  # recorded by hand: lines are matched when the prescription is looked up again
            if product.prescription_only:
                rows.append(_row(sale, sale_line, prescription, actor, now, None, product.base_unit.name,
                                 sale_line.base_quantity, reason))
            continue
        rx_line = _prescribed_line(found, by_code, data, product, where)
        if rx_line is None:
            continue
        if is_substitution(rx_line.code, product.national_code):
            if not reason:
                raise Invalid(msg("%(product)s replaces the prescribed %(prescribed)s: write why.",
                                  product=product.name,
                                  prescribed=rx_line.name),
                              field=f"{where}.substitution_reason")
            if not may_substitute(actor.role):
                raise Forbidden(msg("Only a pharmacist may replace a prescribed drug."),
                                field=f"{where}.substitution_reason")
        if not sale_line.directions_text and rx_line.usage.strip():  # the prescriber's directions (cach_dung)
            sale_line.directions_text = rx_line.usage.strip()[:500]
        unit = prescription_unit(product, rx_line.unit)
        if sale_line.base_quantity % unit.factor:
            raise Invalid(msg("The prescription gives %(product)s in %(unit)s: sell whole %(unit)s.",
                              product=product.name,
                              unit=unit.name),
                          field=f"{where}.quantity")
        quantity = sale_line.base_quantity // unit.factor
        state = states[rx_line.id]
        if not product.prescription_only and not data.get("prescription_line_id") \
                and wanted[state.line_id] + quantity > state.remaining:
            continue  # a non-prescription product beyond what is prescribed is an ordinary sale
        wanted[state.line_id] += quantity
        if wanted[state.line_id] > state.remaining:
            raise Invalid(msg("The prescription allows only %(remaining)s %(unit)s of %(drug)s more (prescribed "
                              "%(prescribed)s, sold %(sold)s).", remaining=state.remaining, unit=unit.name,
                              drug=rx_line.name, prescribed=state.prescribed, sold=state.sold),
                                  field=f"{where}.quantity",
                          remaining=state.remaining)
        rows.append(_row(sale, sale_line, prescription, actor, now, rx_line, unit.name, quantity, reason,
                         sold_before=state.sold))
    session.add_all(rows)
    session.flush()
    if rows:
        for target in targets:
            enqueue(session, target=target, kind=REPORT_KIND, store_id=sale.store_id, document_type="sale",
                    document_id=sale.id, document_number=sale.number, now=now)
    return rows


def _prescribed_line(found, by_code, data: dict, product, where: str):
    """The line named by prescription_line_id, else the one prescribing this product's national code."""
    line_id = data.get("prescription_line_id")
    if line_id not in (None, ""):
        try:
            return found.line(line_id)
        except KeyError:
            raise Invalid(msg("Prescription %(code)s has no drug line %(line)s.", code=found.code, line=line_id),
                          field=f"{where}.prescription_line_id") from None
    line = by_code.get((product.national_code or "").casefold())
    if line is None and product.prescription_only:
        raise Invalid(msg("%(product)s is not on prescription %(code)s: choose the prescribed drug it replaces and "
                          "write why.", product=product.name, code=found.code), field=f"{where}.prescription_line_id")
    return line


def _row(sale, sale_line, prescription, actor, now, rx_line, unit_name, quantity, reason, sold_before=0):
    return PrescriptionDispense(
        prescription_id=prescription.id, sale_id=sale.id, sale_line_id=sale_line.id,
        prescription_line_id=rx_line.id if rx_line else None,
        prescribed_code=rx_line.code if rx_line else sale_line.product.national_code,
        prescribed_name=rx_line.name if rx_line else "", unit_name=unit_name, quantity=quantity,
        substitution_reason=reason, sold_before=sold_before, user_id=actor.id, created_at=now,
    )
