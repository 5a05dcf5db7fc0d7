"""The prescription lane: dispensing reports to the e-prescription system (re-read first, so an unknown outcome is
resolved before any resend) and FHIR bundles to the health data system (conditional creates, safe to resend)."""
from __future__ import annotations

import json
from collections import Counter

from connectors.documents import IncompleteDocumentError
from connectors.eprescription.payloads import dispense_payload
from connectors.http_errors import ConnectorError, TransientError
from pharmacy.prescriptions.dispensing import ERX, HEALTH_DATA
from pharmacy.prescriptions.models import Prescription
from pharmacy.prescriptions.services import store_lookup
from pharmacy.sales.models import Sale
from pharmacy.stores.models import Store, User

from ... import notices
from ...claims import Claimed, record_result, release_fixed
from ...lane import LaneContext
from ...results import REJECTED, SENT, Result, crashed, failure
from .clients import erx_client, erx_configured, health_data_client, health_data_configured
from .plans import SETTINGS, PrescriptionJob, claim_prescription_batch, plan_report, scope
from .snapshots import dispense_doc, dispenses_of

UNDECIDABLE = ("the e-prescription system shows part of this dispense: cannot tell whether the last report "
               "arrived. Check the prescription on the national system, then resend or cancel.")


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
    """Reports of sales against national prescriptions, to each configured target."""

    name = "prescriptions"

    def __init__(self, context: LaneContext):
        self.context = context
        settings = context.settings
        self.erx = erx_client(settings, session=context.http) if erx_configured(settings) else None
        self.health = (health_data_client(settings, session=context.http)
                       if health_data_configured(settings) else None)
        self.targets = tuple(t for t, client in ((ERX, self.erx), (HEALTH_DATA, self.health)) if client)

    def missing_settings(self) -> list[str]:
        """Only the e-prescription system is required by law; health data may be turned off."""
        wanted = (ERX, HEALTH_DATA) if self.context.settings.get("HEALTH_DATA_ENABLED", True) else (ERX,)
        return [SETTINGS[target] for target in wanted if target not in self.targets]

    def recheck(self, session, now) -> int:
        return release_fixed(session, now, scope(),
                             lambda s, message: plan_report(s, message, configured=self.targets))

    def claim(self, session, *, owner, now, limit) -> Claimed:
        context = self.context
        return claim_prescription_batch(session, configured=self.targets, owner=owner, worker=context.worker,
                                        now=now, limit=limit, lease_seconds=context.lease_seconds,
                                        postgresql=context.postgresql)

    def send(self, job: PrescriptionJob) -> Result:
        return self._report(job) if job.target == ERX else self._post_bundle(job)

    def crashed(self, job: PrescriptionJob, error: Exception) -> Result:
        return crashed(error, outcome_unknown=job.target == ERX)  # a re-read settles it next time

    def record(self, session, job: PrescriptionJob, result: Result, *, started_at, now) -> str:
        context = self.context
        return record_result(session, job, result, started_at=started_at, now=now, worker=context.worker,
                             backoff=context.backoff, postgresql=context.postgresql)

    def close(self) -> None:
        pass

    def _post_bundle(self, job: PrescriptionJob) -> Result:
        try:
            answer = self.health.post_bundle(job.payload)
        except ConnectorError as error:
            # A resend of conditional creates is harmless: an unknown outcome is only a reason to try again.
            retry = error.outcome_unknown or isinstance(error, TransientError)
            return failure(error, outcome_unknown=False, transient=retry)
        existing = len(answer.entries) - answer.created
        return Result(SENT, answer.status, message=f"{answer.created} created, {existing} already there")

    def _report(self, job: PrescriptionJob) -> Result:
        """Re-read the prescription, then (unless our last report shows there) record the baseline and report."""
        try:
            found = self.erx.lookup(job.code)
        except ConnectorError as error:
            return failure(error, outcome_unknown=job.check_first)
        with self.context.open_session() as session, session.begin():
            payload = self._payload_after_recheck(session, job, found) if job.recheck else job.payload
            if isinstance(payload, Result):
                return payload
            dispenses = dispenses_of(session, session.get(Sale, job.sale_id))
            if job.check_first:
                verdict = arrived(found, dispenses)
                if verdict is True:
                    return Result(SENT, 200, message=notices.FOUND_BY_REREADING)
                if verdict is None:
                    return Result(REJECTED, 200, message=UNDECIDABLE, outcome_unknown=True)
            for dispense in dispenses:
                dispense.sold_before = found.line(dispense.prescription_line_id).so_luong_ban
        try:
            answer = self.erx.report_dispense(payload)
        except ConnectorError as error:
            return failure(error, outcome_unknown=error.outcome_unknown)
        return Result(SENT, answer.status, json.dumps(answer.raw, ensure_ascii=False)[:500],
                      message=answer.message or notices.RECORDED)

    def _payload_after_recheck(self, session, job: PrescriptionJob, found) -> dict | Result:
        """A prescription recorded by hand: keep the lookup (differences flagged, lines matched), then build."""
        prescription = session.get(Prescription, job.prescription_id)
        recorder = session.get(User, prescription.user_id)
        store_lookup(session, found, store_id=prescription.store_id, actor=recorder, now=self.context.clock())
        sale = session.get(Sale, job.sale_id)
        try:
            return dispense_payload(dispense_doc(session, sale, session.get(Store, sale.store_id)))
        except IncompleteDocumentError as exc:
            return Result(REJECTED, message="; ".join(exc.missing),
                          problems=[{"product": None, "field": "prescription", "reason": m} for m in exc.missing])

