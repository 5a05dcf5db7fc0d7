"""Deciding what to do with a claimed v2-period message: submit a transaction, poll one, or a local outcome."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from connectors.csdl_duoc.errors import MissingDataError, NothingToReportError
from connectors.csdl_duoc.mapping import STOCK_IN, STOCK_OUT, to_transaction
from pharmacy.outbox.models import OutboxMessage
from pharmacy.stores.models import Store
from pharmacy.stores.opening import OPENING_BALANCE

from .plans import Decision, Plan, _held, account_problems
from .snapshots import DocumentGone
from .v2_snapshots import v2_snapshot_for

SUBMIT, POLL = "submit", "poll"
# The transaction kind follows from the document type, so a poll after a restart needs only the stored id.
V2_KINDS = {"sale": STOCK_OUT, "sale_void": STOCK_IN, "receipt": STOCK_IN, "customer_return": STOCK_IN,
            "issue": STOCK_OUT, OPENING_BALANCE: STOCK_IN, "receipt_void": STOCK_IN, "issue_void": STOCK_OUT}
UNCERTAIN = ("outcome unknown: the national system may have recorded {number} — check on the CSDL Dược portal, "
             "then resend it or mark it as sent")


@dataclass(frozen=True)
class V2Job:
    """One v2 call for a claimed message (plain data for a worker thread): a submission or a status poll."""

    message_id: int
    lease_owner: str
    store_id: int
    account: tuple[str, str]       # (national username, encrypted password)
    number: str
    action: str                    # submit | poll
    kind: str                      # stock-in | stock-out | stock-taking
    payload: dict | None = None
    transaction_id: str | None = None
    attempts: int = 0


def uncertain(number: str, why: str = "") -> Decision:
    """Held for a person: the submission may have been recorded and v2 offers no way to find out."""
    reason = UNCERTAIN.format(number=number) + (f" ({why})" if why else "")
    return Decision("held", reason, [{"product": None, "field": "outcome", "reason": reason}])


def poll_job(message: OutboxMessage, store: Store, owner: str) -> V2Job:
    return V2Job(message.id, owner, store.id, (store.national_username, store.national_password_encrypted),
                 message.document_number, POLL, V2_KINDS[message.document_type], transaction_id=message.remote_id,
                 attempts=message.attempts)


def plan_void(message: OutboxMessage, boundary: int) -> Plan | None:
    """A sale void waits for, follows or cancels along with its sale; None when a stock-in return must go out."""
    original = message.depends_on
    if original is None:
        return Plan(decision=Decision("cancelled", "the sale was never reported: nothing to cancel"))
    if original.id < boundary:
        return None  # sold before the switch: the opening balance counted it out, so the return must go in
    if original.status in ("sending", "awaiting_result"):
        return Plan(decision=Decision("pending", "waiting for the sale's national outcome", delay_seconds=5))
    if original.status == "sent":
        return None
    if original.status == "cancelled":
        return Plan(decision=Decision("cancelled", "the sale was never reported: nothing to cancel"))
    if original.status == "held" and original.outcome_unknown:
        return Plan(decision=Decision("held", "the sale's national outcome is unknown: resolve it first", [
            {"product": None, "field": "original", "reason": f"{original.document_number}: outcome unknown"}]))
    return Plan(decision=Decision("cancelled", "voided before the sale reached v2: nothing sent"),
                cancel_original=True)


def plan_v2_message(session: Session, message: OutboxMessage, *, boundary: int, owner: str = "") -> Plan:
    """What to do with one pending v2-period message now: build its transaction from the current data."""
    store = session.get(Store, message.store_id)
    if message.document_type == "sale_void":
        plan = plan_void(message, boundary)
        if plan is not None:
            return plan
    try:
        snapshot = v2_snapshot_for(session, message)
    except DocumentGone as exc:
        return Plan(decision=Decision("rejected", f"document not found: {exc}"))
    if snapshot.voided:  # a person who resends an uncertain sale has checked it is not on v2
        return Plan(decision=Decision("cancelled", "voided before it was sent: nothing sent"))
    try:
        kind, payload = to_transaction(snapshot.doc)
    except NothingToReportError:
        return Plan(decision=Decision("cancelled", "no drugs in the document: nothing to report"))
    except MissingDataError as exc:
        return Plan(decision=_held(exc.problems, snapshot))
    missing = account_problems(store)
    if missing:
        return Plan(decision=_held(missing, snapshot))
    return Plan(job=V2Job(message.id, owner, store.id, (store.national_username, store.national_password_encrypted),
                          message.document_number, SUBMIT, kind, payload, attempts=message.attempts))
