"""The CSDL Dược v2 sandbox's memory: accounts and tokens, master drugs, and every transaction it was sent."""
from __future__ import annotations

import base64
import binascii
import copy
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from connectors.csdl_duoc.catalog import parse_time
from connectors.csdl_duoc.mapping import VIETNAM
from connectors.sandboxes.csdl_duoc.rules import processing_messages

TERMINAL = ("completed", "rejected", "error")


@dataclass
class SandboxTransaction:
    """One submission as recorded, with its processing progress."""

    transaction_id: str
    kind: str
    facility_code: str
    username: str
    payload: dict
    submitted_at: str
    created: float
    status: str = "accepted"
    messages: list[str] = field(default_factory=list)
    polls: int = 0

    @property
    def reference_number(self) -> str:
        return self.payload.get("reference_number", "")

    @property
    def reason(self) -> str | None:
        return self.payload.get("reason")


class SandboxState:
    """Thread-safe state behind the WSGI app; tests inspect and steer it directly.

    A transaction finishes on its `polls_to_finish`-th status poll, or once `seconds_to_finish` have passed on
    `clock` (when set), or when `process_all()` is called; the first poll before that shows `processing`.
    """

    def __init__(self, accounts: dict[str, tuple[str, str]], drugs: list[dict], *, token_lifetime: int = 3600,
                 clock: Callable[[], float], polls_to_finish: int = 2, seconds_to_finish: float | None = None):
        self._lock = threading.RLock()
        self._accounts = dict(accounts)
        self._tokens: dict[str, tuple[str, float]] = {}
        self._drugs = {drug["id"]: copy.deepcopy(drug) for drug in drugs}
        self._transactions: dict[str, SandboxTransaction] = {}
        self._forced: dict[str, tuple[str, list[str]]] = {}
        self.token_lifetime = token_lifetime
        self.clock = clock
        self.polls_to_finish = polls_to_finish
        self.seconds_to_finish = seconds_to_finish
        self.logins: list[str] = []

    # --- accounts and tokens --------------------------------------------------------------------------------------

    def login(self, username: str, password_base64: str) -> str | None:
        """A new token for a right username and Base64-encoded password, else None."""
        try:
            password = base64.b64decode(password_base64, validate=True)
        except (binascii.Error, ValueError):
            return None
        with self._lock:
            account = self._accounts.get(username)
            if account is None or not secrets.compare_digest(account[0].encode("utf-8"), password):
                return None
            token = secrets.token_urlsafe(24)
            self._tokens[token] = (username, self.clock() + self.token_lifetime)
            self.logins.append(username)
            return token

    def user_for(self, token: str) -> str | None:
        """The username of a valid, unexpired token."""
        with self._lock:
            username, expires = self._tokens.get(token, (None, 0.0))
            return username if username is not None and self.clock() < expires else None

    def facility_of(self, username: str) -> str:
        return self._accounts[username][1]

    def forget_tokens(self) -> None:
        with self._lock:
            self._tokens.clear()

    # --- master drugs ---------------------------------------------------------------------------------------------

    def put_drug(self, drug: dict, updated_at: datetime | str | None = None) -> dict:
        """Add or replace a drug, stamped with `updated_at` (default: now on the sandbox clock)."""
        stamped = copy.deepcopy(drug) | {"last_update_time": self._stamp(updated_at)}
        with self._lock:
            self._drugs[stamped["id"]] = stamped
        return copy.deepcopy(stamped)

    def update_drug(self, drug_id: str, updated_at: datetime | str | None = None, **changes) -> dict:
        """Change fields of a known drug and stamp it as updated."""
        with self._lock:
            return self.put_drug(self._drugs[drug_id] | changes, updated_at)

    def drug(self, drug_id: str) -> dict | None:
        with self._lock:
            found = self._drugs.get(drug_id)
            return copy.deepcopy(found) if found else None

    def find_drugs(self, *, updated_from: datetime | None = None, updated_to: datetime | None = None,
                   search: str | None = None) -> list[dict]:
        """Matching drugs ordered by (last_update_time, id); both time bounds are inclusive."""
        needle = (search or "").strip().casefold()
        with self._lock:
            drugs = [copy.deepcopy(d) for d in self._drugs.values()]
        keyed = [(parse_time(d.get("last_update_time")), d) for d in drugs]
        matching = [
            (when, d) for when, d in keyed
            if (updated_from is None or (when is not None and when >= updated_from))
            and (updated_to is None or (when is not None and when <= updated_to))
            and (not needle or any(needle in str(d.get(k, "")).casefold()
                                   for k in ("id", "name", "active_pharmaceutical_ingredient", "registration_number")))
        ]
        matching.sort(key=lambda pair: (pair[0].timestamp() if pair[0] else 0.0, pair[1]["id"]))
        return [d for _, d in matching]

    def _stamp(self, moment: datetime | str | None) -> str:
        if isinstance(moment, str):
            return moment
        moment = moment or datetime.fromtimestamp(self.clock(), VIETNAM)
        return moment.astimezone(VIETNAM).isoformat(timespec="seconds")

    # --- transactions ---------------------------------------------------------------------------------------------

    def record(self, username: str, kind: str, payload: dict) -> SandboxTransaction:
        """Store an accepted submission (duplicates included: the real API does not detect them either)."""
        with self._lock:
            transaction = SandboxTransaction(
                transaction_id=f"TX{len(self._transactions) + 1:08d}", kind=kind,
                facility_code=self.facility_of(username), username=username, payload=copy.deepcopy(payload),
                submitted_at=self._stamp(None), created=self.clock())
            self._transactions[transaction.transaction_id] = transaction
            return replace(transaction)

    def poll(self, kind: str, transaction_id: str, username: str) -> SandboxTransaction | None:
        """Advance one transaction by one status poll; None when the store has no such transaction."""
        with self._lock:
            transaction = self._transactions.get(transaction_id)
            if transaction is None or transaction.kind != kind or transaction.facility_code != self.facility_of(
                    username):
                return None
            if transaction.status not in TERMINAL:
                transaction.polls += 1
                due = transaction.polls >= self.polls_to_finish or (
                    self.seconds_to_finish is not None
                    and self.clock() - transaction.created >= self.seconds_to_finish)
                if due:
                    self._finish(transaction)
                else:
                    transaction.status = "processing"
            return replace(transaction, messages=list(transaction.messages))

    def process_all(self) -> None:
        """Finish every pending transaction now, in submission order."""
        with self._lock:
            for transaction in self._transactions.values():
                if transaction.status not in TERMINAL:
                    self._finish(transaction)

    def force_outcome(self, reference_number: str, status: str, messages: list[str] | None = None) -> None:
        """Make the next transaction with this reference finish as `status` (e.g. "error") with `messages`."""
        with self._lock:
            self._forced[reference_number] = (status, list(messages or []))

    def _finish(self, transaction: SandboxTransaction) -> None:
        forced = self._forced.pop(transaction.reference_number, None)
        if forced is not None:
            transaction.status, transaction.messages = forced[0], forced[1]
            return
        messages = processing_messages(transaction.kind, transaction.payload, self._drugs,
                                       self._opening_done(transaction.facility_code))
        transaction.status = "rejected" if messages else "completed"
        transaction.messages = messages

    def _opening_done(self, facility_code: str) -> bool:
        """A submitted opening balance must have completed; a store that opened with nothing on hand (it sent none)
        starts its record with its first completed stock-in."""
        stock_in = [t for t in self._transactions.values() if t.facility_code == facility_code and t.kind == "stock-in"]
        openings = [t for t in stock_in if t.reason == "opening-balance"]
        return any(t.status == "completed" for t in openings or stock_in)

    # --- inspection -----------------------------------------------------------------------------------------------

    def transactions(self, kind: str | None = None, facility_code: str | None = None) -> list[SandboxTransaction]:
        """Copies of the recorded transactions, in submission order."""
        with self._lock:
            return [replace(t, payload=copy.deepcopy(t.payload), messages=list(t.messages))
                    for t in self._transactions.values()
                    if (kind is None or t.kind == kind) and (facility_code is None or t.facility_code == facility_code)]

    def count(self, reference_number: str, kind: str | None = None) -> int:
        """How many times a document number was submitted (2 or more = a duplicate)."""
        return sum(1 for t in self.transactions(kind) if t.reference_number == reference_number)

    def get(self, transaction_id: str) -> SandboxTransaction | None:
        return next((t for t in self.transactions() if t.transaction_id == transaction_id), None)
