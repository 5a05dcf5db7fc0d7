"""The FHIR R4 transaction Bundle for one dispensed prescription, built and validated with fhir.resources.R4B."""
from __future__ import annotations

from datetime import datetime, timezone

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.medication import Medication
from fhir.resources.R4B.medicationdispense import MedicationDispense
from fhir.resources.R4B.medicationrequest import MedicationRequest
from fhir.resources.R4B.organization import Organization
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.practitioner import Practitioner

from connectors.documents import DispenseDoc, DispenseLineDoc, IncompleteDocumentError, LotQuantity, PatientInfo
from connectors.eprescription.codes import normalize_code

from . import identifiers as ids
from .identifiers import (
    AdministrativeGender,
    BundleType,
    DispenseStatus,
    HTTPVerb,
    RequestIntent,
    RequestStatus,
    identifier,
)


def dispense_bundle(doc: DispenseDoc, *, now: datetime) -> dict:
    """The transaction Bundle as FHIR JSON. Only `timestamp` depends on `now`; entries depend on `doc` alone.

    Every entry is a conditional create on a stable identifier, so sending the same bundle twice creates nothing new.
    """
    if not doc.facility.code:
        raise IncompleteDocumentError(["store has no national facility code"])
    if not doc.lines:
        raise IncompleteDocumentError(["nothing was dispensed"])
    builder = _Builder(doc)
    bundle = Bundle(
        type=BundleType.TRANSACTION.value,
        identifier=identifier(ids.LOCAL_BUNDLE, f"{doc.facility.code}:{doc.invoice_number}"),
        timestamp=_instant(now),
        entry=builder.entries(),
    )
    return bundle.model_dump(mode="json", exclude_none=True)


class _Builder:
    """Collects entries in a fixed order: organization, pharmacist, patient, requests, then medication+dispense."""

    def __init__(self, doc: DispenseDoc):
        self.doc = doc
        self.store = doc.facility.code
        self.code = normalize_code(doc.prescription_code)
        self._entries: list[dict] = []

    def entries(self) -> list[dict]:
        organization = self._add(Organization, self._organization())
        pharmacist = self._add(Practitioner, self._practitioner())
        patient = self._add(Patient, self._patient())
        requests = {}
        for line in self.doc.lines:
            key = str(line.prescribed_line_id)
            if key not in requests:
                requests[key] = self._add(MedicationRequest, self._request(line, patient))
        for line in self.doc.lines:
            for key, lot, quantity in self._portions(line):
                medication = self._add(Medication, self._medication(line, key, lot))
                self._add(MedicationDispense, self._dispense(
                    line, key, quantity, medication=medication, patient=patient, pharmacist=pharmacist,
                    organization=organization, request=requests[str(line.prescribed_line_id)]))
        return self._entries

    def _add(self, model, fields: dict) -> dict:
        """Validate one resource by building its model and append its conditional-create entry; return a reference."""
        key = fields["identifier"][0]
        resource = model(**fields)
        url = ids.full_url(resource.get_resource_type(), key)
        self._entries.append({
            "fullUrl": url,
            "resource": resource,
            "request": {"method": HTTPVerb.POST.value, "url": resource.get_resource_type(),
                        "ifNoneExist": ids.if_none_exist(key)},
        })
        return {"reference": url}

    def _organization(self) -> dict:
        facility = self.doc.facility
        return _clean({
            "identifier": [identifier(ids.FACILITY, facility.code)],
            "active": True,
            "name": facility.name,
            "telecom": [{"system": "phone", "value": facility.phone}] if facility.phone else None,
            "address": [{"text": facility.address}] if facility.address else None,
        })

    def _practitioner(self) -> dict:
        person = self.doc.pharmacist
        ident = (identifier(ids.PHARMACIST_LICENSE, person.license_no) if person.license_no
                 else identifier(ids.LOCAL_PRACTITIONER, f"{self.store}:{person.local_id}"))
        return {"identifier": [ident], "name": [{"text": person.name}]}

    def _patient(self) -> dict:
        person = self.doc.patient
        gender = person.gender if person.gender in set(AdministrativeGender) else None
        return _clean({
            "identifier": patient_identifiers(person, store=self.store, invoice=self.doc.invoice_number),
            "name": [{"text": person.name}] if person.name else None,
            "gender": gender,
            "birthDate": person.birth_date.isoformat() if person.birth_date else None,
            "telecom": [{"system": "phone", "value": person.phone}] if person.phone else None,
            "address": [{"text": person.address}] if person.address else None,
        })

    def _request(self, line: DispenseLineDoc, patient: dict) -> dict:
        doc = self.doc
        return _clean({
            "identifier": [identifier(ids.PRESCRIPTION_LINE, f"{self.code}:{line.prescribed_line_id}")],
            "groupIdentifier": identifier(ids.PRESCRIPTION, self.code),
            "status": RequestStatus.ACTIVE.value,
            "intent": RequestIntent.ORDER.value,
            "medicationCodeableConcept": _concept(line.prescribed_code, None, line.prescribed_name),
            "subject": patient,
            "authoredOn": _instant(doc.prescribed_at) if doc.prescribed_at else None,
            "requester": {"display": doc.prescriber_name} if doc.prescriber_name else None,
            "dosageInstruction": [{"text": line.usage}] if line.usage else None,
            "dispenseRequest": {"quantity": {"value": line.prescribed_quantity, "unit": line.unit_name}},
        })

    def _portions(self, line: DispenseLineDoc):
        """(identifier value, lot, quantity) per lot given; FHIR R4 Medication holds one batch, so several lots
        make several Medication/MedicationDispense pairs, suffixed :1, :2 … after the line number."""
        base = f"{self.store}:{self.doc.invoice_number}:{line.line_no}"
        if len(line.allocations) <= 1:
            return [(base, line.allocations[0] if line.allocations else None, line.quantity)]
        return [(f"{base}:{n}", lot, lot.quantity) for n, lot in enumerate(line.allocations, start=1)]

    def _medication(self, line: DispenseLineDoc, key: str, lot: LotQuantity | None) -> dict:
        drug = line.drug
        return _clean({
            "identifier": [identifier(ids.LOCAL_MEDICATION, key)],
            "code": _concept(drug.national_code, drug.gtin, drug.name),
            "batch": {"lotNumber": lot.lot, "expirationDate": lot.expiry.isoformat()} if lot else None,
        })

    def _dispense(self, line: DispenseLineDoc, key: str, quantity: int, *, medication, patient, pharmacist,
                  organization, request) -> dict:
        return _clean({
            "identifier": [identifier(ids.LOCAL_DISPENSE, key)],
            "status": DispenseStatus.COMPLETED.value,
            "medicationReference": medication,
            "subject": patient,
            # The pharmacist first; the pharmacy as a second performer, since R4 MedicationDispense has no
            # dedicated field for the dispensing organization.
            "performer": [{"actor": pharmacist}, {"actor": organization}],
            "authorizingPrescription": [request],
            "quantity": {"value": quantity, "unit": line.unit_name},
            "whenHandedOver": _instant(self.doc.dispensed_at),
            "dosageInstruction": [{"text": line.usage}] if line.usage else None,
            "substitution": {"wasSubstituted": line.substituted},
        })


def patient_identifiers(person: PatientInfo, *, store: str, invoice: str) -> list[dict]:
    """Identifiers strongest first (the first drives ifNoneExist): CCCD, insurance number, national health id;
    with none of those, a store-scoped local id (the customer id, else the invoice)."""
    found = []
    if ids.is_cccd(person.cccd):
        found.append(identifier(ids.CCCD, person.cccd))
    if person.insurance_number:
        found.append(identifier(ids.INSURANCE_NUMBER, person.insurance_number))
    if person.health_id and person.health_id != person.cccd:
        found.append(identifier(ids.HEALTH_ID, person.health_id))
    if not found:
        local = person.local_id or f"invoice-{invoice}"
        found.append(identifier(ids.LOCAL_PATIENT, f"{store}:{local}"))
    return found


def _concept(national_code: str | None, gtin: str | None, text: str) -> dict:
    coding = [{"system": ids.NATIONAL_DRUG, "code": national_code, "display": text}] if national_code else []
    if gtin:
        coding.append({"system": ids.GTIN, "code": gtin})
    return _clean({"coding": coding or None, "text": text})


def _instant(moment: datetime) -> str:
    """UTC with a Z and whole seconds; a naive datetime is a programming error (documents carry aware UTC)."""
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment!r}: documents must carry timezone-aware times")
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _clean(fields: dict) -> dict:
    return {key: value for key, value in fields.items() if value is not None}
