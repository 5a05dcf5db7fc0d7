"""The legacy "liên thông" lane: one LegacyClient (and token) per store account, invoices/receipts/issues POSTed,
voids DELETEd, and an unknown outcome settled by a GET of the invoice or a DELETE before anything is re-POSTed."""
from __future__ import annotations

import threading

from connectors.http_errors import ConnectorError
from connectors.nationaldb.client import LegacyClient
from connectors.nationaldb.errors import AuthError
from connectors.nationaldb.payloads import INVOICE

from ... import notices
from ...claims import Claimed, record_result, release_fixed
from ...lane import LaneContext
from ...results import CANCELLED, LOGIN_REFUSED, SENT, Result, crashed, failure
from .plans import DELETE, Job, claim_batch, plan_message, ready

SETTING = "NATIONAL_DRUG_DB_URL"


def execute(client: LegacyClient, job: Job) -> Result:
    """Make the calls of a job. A POST whose previous outcome is unknown is preceded by a GET or a DELETE."""
    posting = False
    try:
        if job.action == DELETE:
            answer = client.delete(job.api_kind, job.facility_code, job.number)
            note = notices.DELETED if answer.found else notices.NOTHING_TO_DELETE
            return Result(SENT, answer.status, answer.body, message=note)
        if job.check_first:
            if job.api_kind == INVOICE:
                found = client.find_invoice(job.facility_code, job.number)
                if found is not None:
                    return Result(SENT, 200, found.body, remote_id=found.national_id,
                                  message=notices.FOUND_BY_LOOKUP)
                if job.voided:
                    return Result(CANCELLED, 404, message=notices.VOIDED_NEVER_ARRIVED)
            else:
                client.delete(job.api_kind, job.facility_code, job.number)
        posting = True
        create = {"hoa_don": client.post_invoice, "phieu_nhap": client.post_receipt, "phieu_xuat": client.post_issue}
        answer = create[job.api_kind](job.payload)
        return Result(SENT, answer.status, answer.body, answer.national_id, notices.RECORDED)
    except ConnectorError as error:
        unknown = error.outcome_unknown if posting else job.check_first
        return failure(error, outcome_unknown=unknown and job.action != DELETE)


class LegacyLane:
    """Legacy stores' messages (and a v2 store's written before it switched). Until an account has worked once,
    its jobs go one at a time, so bad credentials cost one login; a refused login is not retried within a pass."""

    name = "legacy"

    def __init__(self, context: LaneContext):
        self.context = context
        self.base_url = context.settings.get(SETTING)
        self._clients: dict[tuple, LegacyClient] = {}
        self._lock = threading.Lock()
        self._refused: dict[tuple, str] = {}
        self._verified: set[tuple] = set()
        self._gates: dict[tuple, threading.Lock] = {}

    def missing_settings(self) -> list[str]:
        return [] if self.base_url else [SETTING]

    def recheck(self, session, now) -> int:
        self._refused = {}
        configured = bool(self.base_url)
        return release_fixed(session, now, ready(),
                             lambda s, message: plan_message(s, message, configured=configured))

    def claim(self, session, *, owner, now, limit) -> Claimed:
        context = self.context
        return claim_batch(session, owner=owner, worker=context.worker, now=now, limit=limit,
                           lease_seconds=context.lease_seconds, postgresql=context.postgresql,
                           configured=bool(self.base_url))

    def send(self, job: Job) -> Result:
        if job.account in self._verified:
            return self._send_checked(job)
        with self._gate(job.account):
            result = self._send_checked(job)
            if result.outcome not in ("auth", "transient", "unknown"):
                self._verified.add(job.account)
            return result

    def crashed(self, job: Job, error: Exception) -> Result:
        return crashed(error, outcome_unknown=True)  # the lease rule: the next attempt checks first

    def record(self, session, job: Job, result: Result, *, started_at, now) -> str:
        context = self.context
        return record_result(session, job, result, started_at=started_at, now=now, worker=context.worker,
                             backoff=context.backoff, postgresql=context.postgresql)

    def close(self) -> None:
        with self._lock:
            self._clients.clear()

    def _send_checked(self, job: Job) -> Result:
        refused = self._refused.get(job.account)
        if refused is not None:
            return failure(AuthError(refused), outcome_unknown=job.check_first)
        result = execute(self._client(job), job)
        if result.outcome == "auth":
            # Bad credentials: one login per account per pass, never a loop of logins.
            self._refused[job.account] = result.message.removeprefix(LOGIN_REFUSED)
            self._verified.discard(job.account)
        return result

    def _gate(self, account: tuple) -> threading.Lock:
        with self._lock:
            return self._gates.setdefault(account, threading.Lock())

    def _client(self, job: Job) -> LegacyClient:
        key = (job.store_id, *job.account)
        with self._lock:
            client = self._clients.get(key)
            if client is None:
                password = self.context.vault.decrypt(job.account[1])
                client = LegacyClient(self.base_url, job.account[0], password, session=self.context.http,
                                      timeout=self.context.timeout)
                self._clients[key] = client
            return client

