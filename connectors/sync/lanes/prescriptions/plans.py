"""The prescription lane's decisions at claim time: which reports are due, what each needs (a call or a local
outcome), and releasing held ones. No network here."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from pydantic import ValidationError
from sqlalchemy import and_, exists
from sqlalchemy.orm import Session, aliased

from connectors.documents import IncompleteDocumentError
from connectors.eprescription.payloads import dispense_payload
from connectors.healthdata.bundle import dispense_bundle
from pharmacy.outbox.models import OutboxMessage
from pharmacy.prescriptions.dispensing import ERX, HEALTH_DATA
from pharmacy.sales.models import Sale
from pharmacy.stores.models import Store

from ... import notices
from ...claims import Claimed, due, lock_due, log_lease_expired, settle
from ...plans import Decision, Plan, held_unconfigured
from .snapshots import dispense_doc

BUSY = ("pending", "sending", "held")
TARGETS = (ERX, HEALTH_DATA)
SETTINGS = {ERX: "ERX_URL", HEALTH_DATA: "HEALTH_DATA_URL"}


@dataclass(frozen=True)
class PrescriptionJob:
    """One report to make; plain data, safe to hand to a thread."""

    message_id: int
    lease_owner: str
    target: str                 # eprescription | health_data
    sale_id: int
    prescription_id: int
    code: str
    invoice: str
    store_id: int | None = None
    payload: dict | None = None
    check_first: bool = False   # e-prescription: the last report's outcome is unknown; re-read before resending
    recheck: bool = False       # e-prescription: recorded by hand; look it up (and match lines) first

    @property
    def number(self) -> str:
        return self.invoice


def _earlier_report_busy():
    """Reports of one prescription go one at a time, so a re-read can tell whether ours arrived."""
    earlier, earlier_sale, this_sale = aliased(OutboxMessage), aliased(Sale), aliased(Sale)
    return exists().where(
        earlier.target == ERX, earlier.id < OutboxMessage.id, earlier.status.in_(BUSY),
        earlier_sale.id == earlier.document_id, this_sale.id == OutboxMessage.document_id,
        earlier_sale.prescription_id == this_sale.prescription_id)


def scope(targets: tuple[str, ...] = TARGETS):
    return and_(OutboxMessage.target.in_(targets), OutboxMessage.document_type == "sale")


def claim_prescription_batch(session: Session, *, configured: tuple[str, ...], owner: str, worker: str,
                             now: datetime, limit: int, lease_seconds: float, postgresql: bool) -> Claimed:
    """Claim due reports and plan each one (a target without its settings holds its reports)."""
    claimed = Claimed()
    if limit <= 0:
        return claimed
    messages = lock_due(session, scope(), due(now), ~and_(OutboxMessage.target == ERX, _earlier_report_busy()),
                        limit=limit, postgresql=postgresql)
    claimed.count += len(messages)
    for message in messages:
        if message.status == "sending":  # a worker died mid-send: for the e-prescription report, re-read first
            message.outcome_unknown = message.target == ERX
            log_lease_expired(session, message, now, worker)
        plan = plan_report(session, message, owner=owner, configured=configured)
        if plan.job is None:
            settle(message, plan, now, claimed)
            continue
        message.status, message.lease_owner, message.updated_at = "sending", owner, now
        message.lease_until = now + timedelta(seconds=lease_seconds)
        claimed.jobs.append(plan.job)
    session.flush()
    return claimed


def _held(missing: list[str]) -> Decision:
    return Decision("held", "; ".join(missing), [{"product": None, "field": "prescription", "reason": m}
                                                  for m in missing])


def plan_report(session: Session, message: OutboxMessage, *, owner: str = "",
                configured: tuple[str, ...] = TARGETS) -> Plan:
    """A call to make, or a local outcome: cancelled (voided, paper), held (unverified, data missing, no settings),
    rejected."""
    sale = session.get(Sale, message.document_id)
    if sale is None or sale.prescription is None:
        return Plan(decision=Decision("rejected", f"sale #{message.document_id} or its prescription not found"))
    prescription = sale.prescription
    if sale.void is not None and not message.outcome_unknown:
        return Plan(decision=Decision("cancelled", notices.VOIDED_BEFORE_REPORTED))
    if prescription.kind != "national":
        return Plan(decision=Decision("cancelled", notices.PAPER_PRESCRIPTION))
    if message.target not in configured:
        return held_unconfigured(SETTINGS[message.target], message.target)
    job = PrescriptionJob(message.id, owner, message.target, sale.id, prescription.id, prescription.national_code,
                          sale.number, sale.store_id)
    store = session.get(Store, message.store_id)
    if message.target == ERX and prescription.needs_recheck:
        return Plan(job=replace(job, recheck=True)) if store.national_facility_code else \
            Plan(decision=_held(["store has no national facility code"]))
    try:
        doc = dispense_doc(session, sale, store)
        payload = (dispense_payload(doc) if message.target == ERX
                   else dispense_bundle(doc, now=message.created_at))
    except IncompleteDocumentError as exc:
        return Plan(decision=_held(exc.missing))
    except ValidationError as exc:  # our bundle broke a FHIR rule: a bug to fix, never sent
        return Plan(decision=Decision("rejected", f"FHIR validation: {exc.errors()[0]['msg']}"))
    return Plan(job=replace(job, payload=payload, check_first=message.outcome_unknown))
