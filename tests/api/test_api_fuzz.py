"""Schemathesis drives every documented operation, as an owner and as a pharmacist, with generated input (valid and
invalid: half the cases break the schema on purpose): never a 5xx, every answer inside the documented schemas (status, content type, body), errors in the one shape.

Bounded in time: FUZZ_EXAMPLES per operation (default 6 on a developer run; CI sets it so that each role gets at
least 1,000 requests per database lane, e.g. FUZZ_EXAMPLES=40). The count of requests is printed and asserted."""
from __future__ import annotations

import os
import re
from datetime import date, timedelta

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))
MIN_REQUESTS = int(os.environ.get("FUZZ_MIN_REQUESTS", "0"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
ERROR_KEYS = {"code", "message", "errors", "available", "offline", "returnable", "remaining", "reason", "gtin", "lot",
              "expiry"}


@pytest.fixture
def fuzz_shop(books):
    store = books.store("CH01")
    books.store("CH02")
    books.user("owner", role="owner")
    books.user("ds1", stores=[store])
    product = books.product(national_code="TQG900001")
    books.receive(store, product, "LOT1", date.today() + timedelta(days=300), 100_000)
    return books


@pytest.mark.parametrize("role", ["owner", "ds1"])
def test_no_operation_answers_5xx_or_outside_its_schema(fuzz_shop, role, capsys):
    headers = {"Authorization": f"Bearer {fuzz_shop.token(role)}"}
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", fuzz_shop.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25
    sent = {"requests": 0}

    for operation in operations:
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=st.one_of(operation.as_strategy(GenerationMode.POSITIVE),
                              operation.as_strategy(GenerationMode.NEGATIVE)))
        def exercise(case):
            response = case.call(headers={**headers, **(case.headers or {})})
            sent["requests"] += 1
            case.validate_response(response, checks=CHECKS)
            if response.status_code >= 400 and "json" in response.headers.get("Content-Type", ""):
                body = response.json()
                assert set(body) <= ERROR_KEYS, (operation.label, body)
                assert body["code"] == response.status_code, (operation.label, body)
                assert isinstance(body["errors"], dict) and body["message"], (operation.label, body)

        exercise()
    with capsys.disabled():
        print(f"\nschemathesis {role}: {sent['requests']} requests over {len(operations)} operations")
    assert sent["requests"] >= max(MIN_REQUESTS, len(operations))


def _path_value(item: dict, name: str) -> str:
    """A value the path parameter accepts: the first of its enum (a file format), else 1 (an id or a code)."""
    parameters = item.get("parameters", []) + [p for op in item.values() if isinstance(op, dict)
                                                for p in op.get("parameters", [])]
    for parameter in parameters:
        if parameter.get("in") == "path" and parameter.get("name") == name:
            return str(parameter.get("schema", {}).get("enum", ["1"])[0])
    return "1"


def test_every_path_answers_undocumented_methods_405_with_allow(fuzz_shop):
    """12.10: a 405 names the methods the path supports, as documented; never a bare 405 or a 5xx."""
    headers = {"Authorization": f"Bearer {fuzz_shop.token('owner')}"}
    spec = fuzz_shop.client.get("/api/openapi.json").json
    client = fuzz_shop.app.test_client()
    for path, item in spec["paths"].items():
        documented = {method.upper() for method in item if method in ("get", "post", "put", "patch", "delete")}
        url = re.sub(r"\{([^}]+)\}", lambda m: _path_value(item, m.group(1)), path)
        for method in {"GET", "POST", "PUT", "PATCH", "DELETE"} - documented:
            response = client.open(url, method=method, headers=headers)
            assert response.status_code == 405, (method, url, response.status_code)
            allowed = {value.strip() for value in response.headers.get("Allow", "").split(",")}
            assert documented <= allowed <= documented | {"HEAD", "OPTIONS"}, (method, url, allowed)
            assert response.json["code"] == 405
