"""The runner's prescription lane: dispensing reports to the e-prescription system (re-read first, so an unknown
outcome is resolved before any resend) and FHIR bundles to the health data system (conditional creates)."""
from __future__ import annotations

import json
import logging
from collections import Counter

from connectors.documents import IncompleteDocumentError
from connectors.eprescription.payloads import dispense_payload
from connectors.http_errors import (
    AuthError,
    ConnectorError,
    TransientError,
    UnknownOutcomeError,
)
from pharmacy.prescriptions.dispensing import ERX, HEALTH_DATA
from pharmacy.prescriptions.models import Prescription
from pharmacy.prescriptions.services import store_lookup
from pharmacy.sales.models import Sale
from pharmacy.stores.models import Store, User

from .claims import Claimed, record_result
from .prescription_clients import erx_client, erx_configured, health_data_client, health_data_configured
from .prescription_plans import PrescriptionJob, claim_prescription_batch, recheck_prescription_held
from .prescription_snapshots import dispense_doc, dispenses_of
from .sender import AUTH, REJECTED, SENT, TRANSIENT, UNKNOWN, Result

log = logging.getLogger(__name__)
UNDECIDABLE = ("the e-prescription system shows part of this dispense: cannot tell whether the last report "
               "arrived. Check the prescription on the national system, then resend or cancel.")


def failure(error: ConnectorError, *, outcome_unknown: bool) -> Result:
    """Typed errors to outcomes: transient ones retry, rejections and refused keys wait for a person."""
    common = {"http_status": error.status, "body": error.detail, "message": error.message}
    if isinstance(error, UnknownOutcomeError):
        return Result(UNKNOWN, outcome_unknown=True, **common)
    if isinstance(error, TransientError):
        return Result(TRANSIENT, retry_after=error.retry_after, outcome_unknown=outcome_unknown, **common)
    if isinstance(error, AuthError):
        return Result(AUTH, outcome_unknown=outcome_unknown, **common)
    return Result(REJECTED, outcome_unknown=outcome_unknown, **common)


def arrived(found, dispenses) -> bool | None:
    """Whether our report shows in so_luong_ban since the read made just before it was sent (None: can't tell)."""
    ours, before = Counter(), {}
    for dispense in dispenses:
        ours[dispense.prescription_line_id] += dispense.quantity
        before[dispense.prescription_line_id] = dispense.sold_before
    grown = {key: found.line(key).so_luong_ban - before[key] for key in ours}
    if all(grown[key] >= ours[key] for key in ours):
        return True
    if all(grown[key] < ours[key] for key in ours):
        return False
    return None


class PrescriptionLane:
    """Claims and runs prescription reports for a SyncRunner (which owns the pool, engine, clock and backoff)."""

    def __init__(self, runner, config: dict | None):
        config = config or {}
        self.runner = runner
        self.erx = erx_client(config, session=runner._http) if erx_configured(config) else None
        self.health = health_data_client(config, session=runner._http) if health_data_configured(config) else None
        self.targets = tuple(t for t, client in ((ERX, self.erx), (HEALTH_DATA, self.health)) if client)

    def claim(self, session, claimed: Claimed, *, owner: str, now, limit: int) -> None:
        claim_prescription_batch(session, claimed, targets=self.targets, owner=owner, worker=self.runner.worker,
                                 now=now, limit=limit, lease_seconds=self.runner.lease_seconds,
                                 postgresql=self.runner.postgresql)

    def recheck(self, session, now) -> int:
        return recheck_prescription_held(session, now, self.targets) if self.targets else 0

    def process(self, job: PrescriptionJob) -> str:
        """Run one job (no transaction open across the network), then record it in a new short transaction."""
        runner = self.runner
        started_at = runner.clock()
        try:
            result = self._report(job) if job.target == ERX else self._post_bundle(job)
        except Exception as exc:  # noqa: BLE001 - a bug must not kill the pool; a re-read settles it next time
            log.exception("sync prescriptions: job %s failed unexpectedly", job.message_id)
            result = Result(UNKNOWN, message=f"internal error: {type(exc).__name__}", outcome_unknown=job.target == ERX)
        with runner._session() as session, session.begin():
            return record_result(session, job, result, started_at=started_at, now=runner.clock(),
                                 worker=runner.worker, backoff=runner.backoff, postgresql=runner.postgresql)

    def _post_bundle(self, job: PrescriptionJob) -> Result:
        try:
            answer = self.health.post_bundle(job.payload)
        except (UnknownOutcomeError, TransientError) as error:  # a resend of conditional creates is harmless
            return Result(TRANSIENT, http_status=error.status, body=error.detail, message=error.message,
                          retry_after=getattr(error, "retry_after", None))
        except ConnectorError as error:
            return failure(error, outcome_unknown=False)
        existing = len(answer.entries) - answer.created
        return Result(SENT, answer.status, message=f"{answer.created} created, {existing} already there")

    def _report(self, job: PrescriptionJob) -> Result:
        """Re-read the prescription, then (unless our last report shows there) record the baseline and report."""
        try:
            found = self.erx.lookup(job.code)
        except ConnectorError as error:
            return failure(error, outcome_unknown=job.check_first)
        with self.runner._session() as session, session.begin():
            payload = self._payload_after_recheck(session, job, found) if job.recheck else job.payload
            if isinstance(payload, Result):
                return payload
            dispenses = dispenses_of(session, session.get(Sale, job.sale_id))
            if job.check_first:
                verdict = arrived(found, dispenses)
                if verdict is True:
                    return Result(SENT, 200, message="found on the e-prescription system by re-reading")
                if verdict is None:
                    return Result(REJECTED, 200, message=UNDECIDABLE, outcome_unknown=True)
            for dispense in dispenses:
                dispense.sold_before = found.line(dispense.prescription_line_id).so_luong_ban
        try:
            answer = self.erx.report_dispense(payload)
        except ConnectorError as error:
            return failure(error, outcome_unknown=False)
        return Result(SENT, answer.status, json.dumps(answer.raw, ensure_ascii=False)[:500],
                      message=answer.message or "recorded")

    def _payload_after_recheck(self, session, job: PrescriptionJob, found) -> dict | Result:
        """A prescription recorded by hand: keep the lookup (differences flagged, lines matched), then build."""
        prescription = session.get(Prescription, job.prescription_id)
        recorder = session.get(User, prescription.user_id)
        store_lookup(session, found, store_id=prescription.store_id, actor=recorder, now=self.runner.clock())
        sale = session.get(Sale, job.sale_id)
        try:
            return dispense_payload(dispense_doc(session, sale, session.get(Store, sale.store_id)))
        except IncompleteDocumentError as exc:
            return Result(REJECTED, message="; ".join(exc.missing),
                          problems=[{"product": None, "field": "prescription", "reason": m} for m in exc.missing])
