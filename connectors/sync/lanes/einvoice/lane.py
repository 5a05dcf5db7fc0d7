"""The e-invoice lane: one provider client per account; an unknown outcome is settled by a look-up by our client
key before anything is created again; a rejection waits for a person with the provider's message and never
blocks the invoices after it."""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, replace

from connectors.einvoice.document import Issued
from connectors.einvoice.errors import AuthError, ConnectorError, MalformedResponseError, RejectedError
from connectors.einvoice.providers import Account, client_for
from pharmacy.einvoices.presets import valid_mtt_code

from ... import notices
from ...claims import Claimed, lock_and_log, record_result, release_fixed
from ...lane import LaneContext
from ...results import CANCELLED, REJECTED, SENT, TRANSIENT, UNKNOWN, Result, crashed, failure
from .plans import Job, SeriesJob, claim_heads, plan_message, record_issued, release_untried, scope

log = logging.getLogger(__name__)
NO_MTT_CODE = "the provider issued the invoice without a valid MTT code yet: looked up again later"


@dataclass(frozen=True)
class IssuedResult(Result):
    issued: Issued | None = None


@dataclass(frozen=True)
class RunResult(Result):
    """The results of a store's run, in order; the messages after the first that did not go stay pending."""

    results: tuple[Result, ...] = ()          # the final result of each message tried, in order
    earlier: tuple[tuple[int, Result], ...] = ()  # (index in the run, result) of a first try retried at once


GOES_ON = (SENT, REJECTED, CANCELLED)  # after these the next invoice of the series may go


def issued_result(issued: Issued, note: str) -> Result:
    if not valid_mtt_code(issued.mtt_code):
        return Result(UNKNOWN, issued.status, issued.body, remote_id=issued.number,
                      message=f"{NO_MTT_CODE} ({issued.mtt_code or 'none'})", outcome_unknown=True)
    return IssuedResult(SENT, issued.status, issued.body, remote_id=issued.number, message=note, issued=issued)


def execute(client, job: Job) -> Result:
    creating = False
    try:
        if job.check_first:
            found = client.find(job.document.key)
            if found is not None:
                return issued_result(found, notices.FOUND_BY_LOOKUP)
            if job.voided:
                return Result(CANCELLED, 404, message=notices.VOIDED_NEVER_ARRIVED)
        creating = True
        return issued_result(client.create(job.document), notices.RECORDED)
    except ConnectorError as error:
        if not creating:  # a failed look-up creates nothing: the outcome stays as unknown as it was
            return failure(error, outcome_unknown=job.check_first, otherwise=TRANSIENT)
        if isinstance(error, MalformedResponseError):  # a 2xx we cannot read: it may well be issued
            return failure(error, outcome_unknown=True, otherwise=UNKNOWN)
        # Only a refusal proves nothing was issued; after a 5xx or a timeout, look the key up before resending.
        return failure(error, outcome_unknown=not isinstance(error, (RejectedError, AuthError)))


class EInvoiceLane:
    name = "einvoice"

    def __init__(self, context: LaneContext):
        self.context = context
        self._clients: dict[Account, object] = {}
        self._lock = threading.Lock()

    def missing_settings(self) -> list[str]:
        return []  # per store: a sandbox store without the sandbox running holds its messages with that reason

    def recheck(self, session, now) -> int:
        return release_fixed(session, now, scope(),
                             lambda s, message: plan_message(s, message, self.context.settings))

    def claim(self, session, *, owner, now, limit) -> Claimed:
        context = self.context
        return claim_heads(session, owner=owner, worker=context.worker, now=now, limit=limit,
                           lease_seconds=context.lease_seconds, postgresql=context.postgresql,
                           settings=context.settings)

    def send(self, run: SeriesJob) -> Result:
        """The run's invoices in order, until one neither went nor was refused (it and the rest wait)."""
        results: list[Result] = []
        earlier: list[tuple[int, Result]] = []
        for index, job in enumerate(run.jobs):
            result = self._try(job)
            if result.outcome in (TRANSIENT, UNKNOWN) and result.retry_after is None:
                # Once more at once (after a look-up by key when the outcome is unknown): a lone 5xx or timeout
                # must not hold the whole series back until the next pass; a second failure does.
                earlier.append((index, result))
                result = self._try(replace(job, check_first=job.check_first or result.outcome_unknown))
            results.append(result)
            if result.outcome not in GOES_ON:
                break
        return RunResult(results[0].outcome, results=tuple(results), earlier=tuple(earlier))

    def _try(self, job: Job) -> Result:
        try:
            return execute(self._client(job.account), job)
        except Exception as exc:  # noqa: BLE001 - a bug: this one is recorded as unknown, the rest wait
            log.exception("einvoice: job %s failed unexpectedly", job.message_id)
            return crashed(exc, outcome_unknown=True)

    def crashed(self, run: SeriesJob, error: Exception) -> Result:
        return RunResult(UNKNOWN, results=(crashed(error, outcome_unknown=True),))

    def record(self, session, run: SeriesJob, result: Result, *, started_at, now) -> str:
        """Each attempt logged and its message moved on; the messages not tried are handed back as they were."""
        context, outcomes = self.context, []
        results = result.results if isinstance(result, RunResult) else (result,)
        for index, first in getattr(result, "earlier", ()):
            lock_and_log(session, run.jobs[index].message_id, first, started_at=started_at, now=now,
                         worker=context.worker, postgresql=context.postgresql)
        for job, one in zip(run.jobs, results, strict=False):
            outcome = record_result(session, job, one, started_at=started_at, now=now, worker=context.worker,
                                    backoff=context.backoff, postgresql=context.postgresql)
            if outcome == SENT and isinstance(one, IssuedResult):
                record_issued(session, job.message_id, one.issued)
            outcomes.append(outcome)
        release_untried(session, [job.message_id for job in run.jobs[len(results):]], run.lease_owner, now)
        return SENT if SENT in outcomes else outcomes[0]

    def close(self) -> None:
        with self._lock:
            self._clients.clear()

    def _client(self, account: Account):
        with self._lock:
            client = self._clients.get(account)
            if client is None:
                client = client_for(account, self.context.settings, self.context.vault, session=self.context.http,
                                    timeout=self.context.timeout)
                self._clients[account] = client
            return client
