"""Reading the server's messages from the answer shapes a v2 server may use."""
from __future__ import annotations

import json

import pytest
import requests

from connectors.csdl_duoc.errors import read_messages
from connectors.documents import IncompleteDocumentError as MissingDataError


def response(body, status: int = 400) -> requests.Response:
    answer = requests.Response()
    answer.status_code = status
    answer._content = body.encode("utf-8") if isinstance(body, str) else json.dumps(body).encode("utf-8")
    return answer


@pytest.mark.parametrize(("body", "expected"), [
    ({"messages": ["a", "b"]}, "a; b"),
    ({"error": "invalid_grant", "error_description": "Sai mật khẩu"}, "invalid_grant; Sai mật khẩu"),
    ({"errors": [{"field": "items[0].quantity", "message": "phải là số nguyên"}]},
     "items[0].quantity: phải là số nguyên"),
    ({"error": {"message": "Lỗi"}, "message": "Lỗi"}, "Lỗi"),
    ("Bad gateway", "Bad gateway"),
    ("", ""),
])
def test_messages_are_read_from_every_usual_shape(body, expected):
    assert read_messages(response(body)) == expected


def test_missing_data_lists_every_problem_in_its_message():
    error = MissingDataError([{"product": "Hapacol", "field": "drug_id", "reason": "is missing"},
                              {"product": None, "field": "reference_number", "reason": "is missing"}])
    assert str(error) == "Hapacol: drug_id is missing; document: reference_number is missing"
