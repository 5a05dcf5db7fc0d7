"""Posting bundles over real HTTP: idempotent resends, token caching and expiry, OperationOutcome messages."""
from __future__ import annotations

import logging

import pytest

from connectors.healthdata import identifiers as ids
from connectors.healthdata.bundle import dispense_bundle
from connectors.http_errors import AuthError, RejectedError

from .conftest import NOW, local_patient_dispense


@pytest.fixture
def bundle(dispense):
    return dispense_bundle(dispense, now=NOW)


def test_posting_a_bundle_creates_every_resource(client, sandbox, bundle):
    result = client.post_bundle(bundle)

    assert result.status == 200
    assert result.created == len(bundle["entry"]) == 11
    assert all(entry.status == "201 Created" for entry in result.entries)
    assert {kind: sandbox.count(kind) for kind in sandbox.resources} == {
        "Organization": 1, "Practitioner": 1, "Patient": 1, "MedicationRequest": 2, "Medication": 3,
        "MedicationDispense": 3}


def test_references_are_resolved_to_the_stored_resources(client, sandbox, bundle):
    client.post_bundle(bundle)
    [dispense] = sandbox.find("MedicationDispense", ids.LOCAL_DISPENSE, "79123:HD-79123-000042:2")
    [patient] = sandbox.find("Patient", ids.CCCD, "079078001234")
    assert dispense["subject"] == {"reference": f"Patient/{patient['id']}"}
    assert dispense["medicationReference"]["reference"].startswith("Medication/")


def test_resending_the_same_bundle_creates_nothing_new(client, sandbox, bundle):
    first = client.post_bundle(bundle)
    before = sandbox.count()

    again = client.post_bundle(bundle)

    assert sandbox.count() == before
    assert again.created == 0 and all(entry.status == "200 OK" for entry in again.entries)
    assert [e.location for e in again.entries] == [e.location for e in first.entries]


def test_a_second_dispense_reuses_the_shared_resources(client, sandbox, bundle):
    client.post_bundle(bundle)
    result = client.post_bundle(dispense_bundle(local_patient_dispense(), now=NOW))
    # Same store and prescription line: Organization and MedicationRequest exist; the rest is new.
    assert [e.status[:3] for e in result.entries] == ["200", "201", "201", "200", "201", "201"]


def test_the_token_is_fetched_once_and_cached(client, sandbox, bundle):
    client.post_bundle(bundle)
    client.post_bundle(bundle)
    assert client.token_fetches == sandbox.tokens_issued == 1


def test_a_token_revoked_mid_run_is_replaced_once_and_the_post_retried(client, sandbox, bundle):
    client.post_bundle(bundle)
    sandbox.expire_all_tokens()

    result = client.post_bundle(dispense_bundle(local_patient_dispense(), now=NOW))

    assert result.created == 4
    assert client.token_fetches == sandbox.tokens_issued == 2


def test_a_token_expired_on_the_server_clock_recovers_with_one_new_fetch(client, sandbox, server_clock, bundle):
    client.post_bundle(bundle)
    server_clock.advance(601)  # the server's token lifetime is 600 s; the client's clock has not moved

    client.post_bundle(bundle)

    assert client.token_fetches == sandbox.tokens_issued == 2


def test_the_client_renews_shortly_before_expiry_without_a_401(client, sandbox, client_clock, server_clock, bundle):
    client.post_bundle(bundle)
    client_clock.advance(600 - 30 + 1)  # inside the 30 s renewal margin
    server_clock.advance(600 - 30 + 1)  # the old token would still work on the server

    client.post_bundle(bundle)

    assert client.token_fetches == sandbox.tokens_issued == 2


def test_a_401_after_a_fresh_token_is_an_auth_error(client, sandbox, faults, bundle):
    faults.push("invalidate_token", count=2, route="bundle")
    with pytest.raises(AuthError):
        client.post_bundle(bundle)
    assert client.token_fetches == 2 and sandbox.count() == 0


def test_wrong_client_secret_is_an_auth_error_that_hides_the_secret(make_client, bundle, caplog):
    client = make_client(secret="not-the-secret")
    with caplog.at_level(logging.DEBUG), pytest.raises(AuthError, match="invalid_client") as caught:
        client.post_bundle(bundle)
    assert "not-the-secret" not in str(caught.value) + caught.value.detail + repr(client) + caplog.text


def test_an_invalid_bundle_comes_back_as_a_readable_operation_outcome(client, sandbox, bundle):
    medication = next(e for e in bundle["entry"] if e["request"]["url"] == "MedicationDispense")["resource"]
    medication["whenHandedOver"] = "yesterday"
    medication["bogus"] = 1

    with pytest.raises(RejectedError) as caught:
        client.post_bundle(bundle)

    message = str(caught.value)
    assert caught.value.status == 400 and not caught.value.retryable
    assert "HTTP 400" in message and "error: " in message
    assert "Bundle.entry[6].resource.bogus" in message
    assert "whenHandedOver" in message
    assert sandbox.count() == 0


def test_a_bundle_that_is_not_a_transaction_is_rejected(client, bundle):
    bundle["type"] = "batch"
    with pytest.raises(RejectedError, match="Only transaction bundles are accepted .at Bundle.type."):
        client.post_bundle(bundle)
