"""The dispense bundle validates against FHIR R4B, equals the hand-checked golden files, and is deterministic."""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle

from connectors.documents import IncompleteDocumentError, PatientInfo
from connectors.healthdata import identifiers as ids
from connectors.healthdata.bundle import dispense_bundle

from .conftest import NOW, golden_dispense, local_patient_dispense

GOLDEN = Path(__file__).parent.parent / "golden"


def _golden(name: str) -> dict:
    return json.loads((GOLDEN / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("build, name", [
    (golden_dispense, "healthdata_bundle_cccd.json"),
    (local_patient_dispense, "healthdata_bundle_local_patient.json"),
])
def test_bundle_equals_the_hand_checked_golden_file(build, name):
    bundle = dispense_bundle(build(), now=NOW)
    assert bundle == _golden(name)
    assert Bundle.model_validate(bundle).model_dump(mode="json", exclude_none=True) == bundle


def test_the_same_dispense_gives_the_same_entries_whenever_it_is_built(dispense):
    first = dispense_bundle(dispense, now=NOW)
    later = dispense_bundle(dispense, now=NOW + timedelta(hours=5))
    assert first["entry"] == later["entry"]
    assert first["timestamp"] != later["timestamp"]


def test_every_entry_is_a_conditional_create_and_every_reference_resolves(dispense):
    bundle = dispense_bundle(dispense, now=NOW)
    full_urls = {entry["fullUrl"] for entry in bundle["entry"]}
    references = []

    def collect(node):
        if isinstance(node, dict):
            references.extend(v for k, v in node.items() if k == "reference")
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    for entry in bundle["entry"]:
        resource, request = entry["resource"], entry["request"]
        first = resource["identifier"][0]
        assert request == {"method": "POST", "url": resource["resourceType"],
                           "ifNoneExist": f"identifier={first['system']}|{first['value']}"}
        assert entry["fullUrl"].startswith("urn:uuid:")
        collect(resource)
    assert references and set(references) <= full_urls
    assert len(full_urls) == len(bundle["entry"])


def test_one_dispense_per_lot_with_batch_and_stable_line_identifiers(dispense):
    entries = [e["resource"] for e in dispense_bundle(dispense, now=NOW)["entry"]]
    dispenses = [r for r in entries if r["resourceType"] == "MedicationDispense"]
    medications = [r for r in entries if r["resourceType"] == "Medication"]
    assert [d["identifier"][0]["value"] for d in dispenses] == [
        "79123:HD-79123-000042:1:1", "79123:HD-79123-000042:1:2", "79123:HD-79123-000042:2"]
    assert [(d["quantity"]["value"], d["status"]) for d in dispenses] == [(11, "completed"), (10, "completed"),
                                                                          (7, "completed")]
    assert [m["batch"] for m in medications] == [
        {"lotNumber": "AMX2406A", "expirationDate": "2027-06-30"},
        {"lotNumber": "AMX2409B", "expirationDate": "2027-09-30"},
        {"lotNumber": "OMS2501", "expirationDate": "2028-01-31"},
    ]


def _patient(doc) -> dict:
    return next(e for e in dispense_bundle(doc, now=NOW)["entry"] if e["request"]["url"] == "Patient")


@pytest.mark.parametrize("patient, expected", [
    (PatientInfo(name="A", cccd="079078001234", insurance_number="DN4797912345678"),
     [(ids.CCCD, "079078001234"), (ids.INSURANCE_NUMBER, "DN4797912345678")]),
    (PatientInfo(name="B", cccd="12345", insurance_number="DN4797912345678", local_id="C-1"),
     [(ids.INSURANCE_NUMBER, "DN4797912345678")]),
    (PatientInfo(name="C", health_id="048059004321", local_id="C-2"), [(ids.HEALTH_ID, "048059004321")]),
    (PatientInfo(name="D", local_id="C-3"), [(ids.LOCAL_PATIENT, "79123:C-3")]),
    (PatientInfo(name="E"), [(ids.LOCAL_PATIENT, "79123:invoice-HD-79123-000042")]),
])
def test_patient_is_identified_by_the_strongest_identifier_known(dispense, patient, expected):
    entry = _patient(replace(dispense, patient=patient))
    found = [(i["system"], i["value"]) for i in entry["resource"]["identifier"]]
    assert found == expected
    assert entry["request"]["ifNoneExist"] == f"identifier={expected[0][0]}|{expected[0][1]}"


def test_an_unknown_gender_value_is_left_out(dispense):
    entry = _patient(replace(dispense, patient=PatientInfo(name="X", gender="Nam", local_id="1")))
    assert "gender" not in entry["resource"]


def test_a_store_without_facility_code_holds_the_bundle(dispense):
    with pytest.raises(IncompleteDocumentError, match="facility code"):
        dispense_bundle(replace(dispense, facility=replace(dispense.facility, code="")), now=NOW)


def test_naive_times_are_refused(dispense):
    with pytest.raises(ValueError, match="naive"):
        dispense_bundle(replace(dispense, dispensed_at=dispense.dispensed_at.replace(tzinfo=None)), now=NOW)
