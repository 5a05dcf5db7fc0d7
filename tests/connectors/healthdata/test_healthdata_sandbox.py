"""The health data simulator itself: token rules, content type, conditional-create edge cases."""
from __future__ import annotations

import copy

import pytest
import requests

from connectors.healthdata.bundle import dispense_bundle
from connectors.sandboxes.healthdata.simulator import BASE_PATH, TOKEN_PATH

from .conftest import CLIENT_ID, CLIENT_SECRET, NOW


@pytest.fixture
def token(served):
    answer = requests.post(served.url + TOKEN_PATH, data={"grant_type": "client_credentials",
                                                          "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
                           timeout=2)
    assert answer.status_code == 200 and answer.json()["expires_in"] == 600
    return answer.json()["access_token"]


def _post(served, token, body, content_type="application/fhir+json"):
    return requests.post(served.url + BASE_PATH, json=body, timeout=2,
                         headers={"Authorization": f"Bearer {token}", "Content-Type": content_type})


def test_only_the_client_credentials_grant_is_accepted(served):
    answer = requests.post(served.url + TOKEN_PATH, data={"grant_type": "password"}, auth=(CLIENT_ID, CLIENT_SECRET),
                           timeout=2)
    assert (answer.status_code, answer.json()["error"]) == (400, "unsupported_grant_type")


def test_a_bundle_without_a_valid_token_is_unauthorized(served, dispense):
    answer = _post(served, "made-up", dispense_bundle(dispense, now=NOW))
    assert answer.status_code == 401 and answer.json()["resourceType"] == "OperationOutcome"


def test_other_content_types_are_refused(served, token, dispense):
    assert _post(served, token, dispense_bundle(dispense, now=NOW), "text/plain").status_code == 415


def test_an_unsupported_condition_refuses_the_whole_bundle(served, token, sandbox, dispense):
    bundle = dispense_bundle(dispense, now=NOW)
    bundle["entry"][-1]["request"]["ifNoneExist"] = "name=Nguyen"
    answer = _post(served, token, bundle)
    assert answer.status_code == 400 and "Unsupported ifNoneExist" in answer.text
    assert sandbox.count() == 0


def test_a_condition_matching_several_resources_is_a_412(served, token, sandbox, dispense):
    bundle = dispense_bundle(dispense, now=NOW)
    for entry in bundle["entry"]:
        entry["request"].pop("ifNoneExist")
    assert _post(served, token, bundle).status_code == 200
    assert _post(served, token, bundle).status_code == 200   # unconditional: duplicates everything
    assert sandbox.count("Organization") == 2

    conditional = dispense_bundle(dispense, now=NOW)
    assert _post(served, token, conditional).status_code == 412


def test_unknown_routes_answer_404(served):
    assert requests.get(served.url + "/fhir/Patient", timeout=2).status_code == 404


def test_stored_resources_are_copies(served, token, sandbox, dispense):
    _post(served, token, dispense_bundle(dispense, now=NOW))
    found = sandbox.find("Organization", "https://duocquocgia.com.vn/sid/ma-co-so", "79123")
    before = copy.deepcopy(found)
    found[0]["name"] = "changed"
    assert sandbox.find("Organization", "https://duocquocgia.com.vn/sid/ma-co-so", "79123") == before
