"""The v2 lane's decisions at claim time: which messages are v2's and due, a submission or a poll to make, or a
local outcome (held, cancelled, waiting). No network here."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, not_, or_, select
from sqlalchemy.orm import Session, aliased

from connectors.csdl_duoc.mapping import STOCK_IN, STOCK_OUT, STOCK_TAKING, to_transaction
from connectors.documents import IncompleteDocumentError, NothingToReportError
from pharmacy.outbox.models import OutboxMessage
from pharmacy.outbox.services import NATIONAL_DRUG_DB
from pharmacy.receipts.models import Receipt
from pharmacy.stores.models import Store
from pharmacy.stores.opening import OPENING_BALANCE, v2_boundary

from ... import notices
from ...claims import Claimed, cancel_original, due, lock_due, log_lease_expired, settle
from ...notices import NOTHING_ON_HAND
from ...plans import AccountJob, Decision, Plan, account_problems, held, held_unconfigured
from ...scopes import v2_scope
from ...snapshots import DocumentGone
from .snapshots import v2_snapshot_for

SUBMIT, POLL = "submit", "poll"
SETTING = "CSDL_DUOC_URL"
# The transaction kind follows from the document type, so a poll after a restart needs only the stored id.
V2_KINDS = {"sale": STOCK_OUT, "sale_void": STOCK_IN, "receipt": STOCK_IN, "customer_return": STOCK_IN,
            "issue": STOCK_OUT, OPENING_BALANCE: STOCK_IN, "receipt_void": STOCK_IN, "issue_void": STOCK_OUT,
            "transfer_out": STOCK_OUT, "transfer_in": STOCK_IN, "transfer_cancel": STOCK_IN,
            "stock_count": STOCK_TAKING}
UNCERTAIN = ("outcome unknown: the national system may have recorded {number} — check on the CSDL Dược portal, "
             "then resend it or mark it as sent")
LEASE_EXPIRED = "the worker stopped during the submission (lease expired)"


@dataclass(frozen=True)
class V2Job(AccountJob):
    """One v2 call for a claimed message (plain data for a worker thread): a submission or a status poll."""

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


def _opening_settled():
    """No earlier opener of the period is still unconfirmed: the switch's opening balance, an opening receipt, or —
    when the store had nothing on hand, so its opening balance was not needed — its first goods receipt, since v2
    takes no sale before the store's record is opened."""
    earlier, first, boundary = aliased(OutboxMessage), aliased(OutboxMessage), aliased(OutboxMessage)
    opening_receipt = exists().where(Receipt.id == earlier.document_id, Receipt.kind == "opening")
    opened_empty = exists().where(boundary.id == v2_boundary(OutboxMessage.store_id),
                                  boundary.status == "cancelled", boundary.last_error == NOTHING_ON_HAND)
    first_receipt = and_(earlier.document_type == "receipt", opened_empty, not_(exists().where(
        first.store_id == earlier.store_id, first.target == NATIONAL_DRUG_DB, first.document_type == "receipt",
        first.id < earlier.id, first.id >= v2_boundary(OutboxMessage.store_id))))
    return not_(exists().where(
        earlier.store_id == OutboxMessage.store_id, earlier.target == NATIONAL_DRUG_DB,
        earlier.id < OutboxMessage.id, earlier.id >= v2_boundary(OutboxMessage.store_id),
        earlier.status.notin_(("sent", "cancelled")),
        or_(earlier.document_type == OPENING_BALANCE, and_(earlier.document_type == "receipt", opening_receipt),
            first_receipt),
    ))


def _original_settled():
    original = aliased(OutboxMessage)
    busy = exists().where(original.id == OutboxMessage.depends_on_id,
                          original.status.in_(("sending", "awaiting_result")))
    return or_(OutboxMessage.depends_on_id.is_(None), not_(busy))


def _poll_due(now: datetime):
    return and_(OutboxMessage.status == "awaiting_result", OutboxMessage.next_attempt_at <= now,
                or_(OutboxMessage.lease_until.is_(None), OutboxMessage.lease_until < now))


def claim_v2_batch(session: Session, *, owner: str, worker: str, now: datetime, limit: int, lease_seconds: float,
                   postgresql: bool, configured: bool = True) -> Claimed:
    """Claim due v2 submissions (after the store's opening balance) and due polls."""
    claimed = Claimed()
    if limit <= 0:
        return claimed
    messages = lock_due(session, v2_scope(), or_(and_(due(now), _opening_settled(), _original_settled()),
                                                 _poll_due(now)), limit=limit, postgresql=postgresql)
    claimed.count += len(messages)
    lease_until = now + timedelta(seconds=lease_seconds)
    for message in messages:
        store = session.get(Store, message.store_id)
        if message.status == "awaiting_result":
            message.lease_owner, message.lease_until = owner, lease_until
            claimed.jobs.append(poll_job(message, store, owner))
            continue
        if message.status == "sending":  # a worker died mid-submission: v2 cannot be asked, a person decides
            log_lease_expired(session, message, now, worker, LEASE_EXPIRED)
            message.outcome_unknown = True
            settle(message, Plan(decision=uncertain(message.document_number, LEASE_EXPIRED)), now, claimed)
            continue
        plan = plan_v2_message(session, message, owner=owner, configured=configured)
        if plan.cancel_original and message.depends_on_id is not None:
            cancel_original(session, message.depends_on_id, now)
        if plan.job is None:
            settle(message, plan, now, claimed)
            continue
        message.status, message.lease_owner, message.lease_until, message.updated_at = (
            "sending", owner, lease_until, now)
        claimed.jobs.append(plan.job)
    session.flush()
    return claimed


def plan_void(message: OutboxMessage, boundary: int) -> Plan | None:
    """A sale void waits for, follows or cancels along with its sale; None when a stock-in return must go out."""
    original = message.depends_on
    if original is None:
        return Plan(decision=Decision("cancelled", notices.SALE_NEVER_REPORTED))
    if original.id < boundary:
        return None  # sold before the switch: the opening balance counted it out, so the return must go in
    if original.status in ("sending", "awaiting_result"):
        return Plan(decision=Decision("pending", notices.WAITING_FOR_SALE, delay_seconds=5))
    if original.status == "sent":
        return None
    if original.status == "cancelled":
        return Plan(decision=Decision("cancelled", notices.SALE_NEVER_REPORTED))
    if original.status == "held" and original.outcome_unknown:
        return Plan(decision=Decision("held", notices.SALE_OUTCOME_UNKNOWN, [
            {"product": None, "field": "original", "reason": f"{original.document_number}: outcome unknown"}]))
    return Plan(decision=Decision("cancelled", notices.VOIDED_BEFORE_V2), cancel_original=True)


def plan_v2_message(session: Session, message: OutboxMessage, *, owner: str = "", configured: bool = True) -> Plan:
    """What to do with one pending v2-period message now: build its transaction from the current data."""
    store = session.get(Store, message.store_id)
    if message.document_type in ("sale_void", "transfer_cancel"):  # both reverse their original by a stock-in
        boundary = session.execute(select(v2_boundary(message.store_id))).scalar_one()
        plan = plan_void(message, boundary)
        if plan is not None:
            return plan
    try:
        snapshot = v2_snapshot_for(session, message)
    except DocumentGone as exc:
        return Plan(decision=Decision("rejected", f"document not found: {exc}"))
    if snapshot.voided:  # a person who resends an uncertain sale has checked it is not on v2
        return Plan(decision=Decision("cancelled", notices.VOIDED_BEFORE_SENT))
    try:
        kind, payload = to_transaction(snapshot.doc)
    except NothingToReportError:
        # An opening balance of a store with nothing on hand is not needed: its later documents must not wait on it.
        note = notices.NOTHING_ON_HAND if message.document_type == OPENING_BALANCE else notices.NO_DRUGS
        return Plan(decision=Decision("cancelled", note))
    except IncompleteDocumentError as exc:
        return Plan(decision=held(exc.problems, snapshot.product_ids))
    missing = account_problems(store)
    if missing:
        return Plan(decision=held(missing, snapshot.product_ids))
    if not configured:
        return held_unconfigured(SETTING, "v2")
    return Plan(job=V2Job(message.id, owner, store.id, (store.national_username, store.national_password_encrypted),
                          message.document_number, SUBMIT, kind, payload, attempts=message.attempts))
