"""Schemathesis drives every documented operation with generated input: never a 500, errors in the one shape."""
from __future__ import annotations

from datetime import date, timedelta

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error


def test_no_operation_answers_500_and_errors_keep_one_shape(books):
    store = books.store("CH01")
    books.user("owner", role="owner")
    product = books.product(national_code="TQG900001")
    books.receive(store, product, "LOT1", date.today() + timedelta(days=300), 1000)
    headers = {"Authorization": f"Bearer {books.token('owner')}"}
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", books.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15

    for operation in operations:
        @settings(max_examples=12, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def exercise(case):
            response = case.call(headers=headers)
            case.validate_response(response, checks=[not_a_server_error])
            if response.status_code >= 400 and "json" in response.headers.get("Content-Type", ""):
                body = response.json()
                assert body["code"] == response.status_code, (operation.label, body)
                assert isinstance(body["errors"], dict) and body["message"], (operation.label, body)

        exercise()
