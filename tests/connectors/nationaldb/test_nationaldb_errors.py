"""The one outcome table and message extraction, on real responses from a canned loopback server."""
from __future__ import annotations

import json
import socket
from datetime import datetime, timezone

import pytest
import requests
from werkzeug.wrappers import Request, Response

from connectors.nationaldb.errors import (
    AuthError,
    RejectedError,
    TokenRejectedError,
    TransientError,
    UnknownOutcomeError,
    classify,
    extract_message,
    parse_retry_after,
)
from connectors.sandboxes.kit import ServedApp


@Request.application
def canned(request: Request) -> Response:
    """Answers with the status, body and headers named in the query string."""
    headers = json.loads(request.args.get("headers", "{}"))
    return Response(request.args.get("body", ""), status=int(request.args["status"]), headers=headers,
                    content_type=request.args.get("type", "application/json"))


@pytest.fixture
def fetch():
    served = ServedApp(canned)
    session = requests.Session()

    def do(status, body="", **params):
        params = {"status": status, "body": body if isinstance(body, str) else json.dumps(body), **params}
        return session.get(f"{served.url}/", params=params, timeout=5, allow_redirects=False)
    yield do
    session.close()
    served.stop()


@pytest.mark.parametrize(("status", "body", "expected"), [
    (400, {"message": "Mã cơ sở không chính xác"}, RejectedError),
    (400, "", RejectedError),
    (409, {"message": "conflict"}, RejectedError),
    (404, "", RejectedError),
    (401, "", TokenRejectedError),
    (403, {"message": "Forbidden"}, AuthError),
    (408, "", TransientError),
    (429, "", TransientError),
    (500, "", TransientError),
    (503, "Service Unavailable", TransientError),
    (502, "", UnknownOutcomeError),  # a gateway may have forwarded the request
    (504, "", UnknownOutcomeError),
    (301, "", UnknownOutcomeError),
    (200, {"code": 400, "mess": "Thiếu tỷ lệ quy đổi"}, RejectedError),
    (200, {"code": 500, "mess": "Lỗi hệ thống"}, TransientError),
    (200, "not json", UnknownOutcomeError),
    (200, {"mess": "no code"}, UnknownOutcomeError),
])
def test_outcome_table(fetch, status, body, expected):
    error = classify(fetch(status, body))
    assert type(error) is expected
    assert error.retryable is issubclass(expected, TransientError)
    assert error.outcome_unknown is (expected is UnknownOutcomeError)


def test_success_needs_http_200_and_body_code_200(fetch):
    assert classify(fetch(200, {"code": 200, "mess": "Tạo hóa đơn thành công"})) is None


def test_login_refusals_are_auth_errors_and_keep_no_raw_body(fetch):
    error = classify(fetch(400, {"message": "Sai mật khẩu", "echo": "pwd=secret"}), login=True)
    assert type(error) is AuthError and not error.retryable
    assert error.body == "Sai mật khẩu"
    assert type(classify(fetch(401, ""), login=True)) is AuthError
    assert type(classify(fetch(503, ""), login=True)) is TransientError


def test_retry_after_is_read_as_seconds(fetch):
    error = classify(fetch(429, "", headers=json.dumps({"Retry-After": "12"})))
    assert error.retry_after == 12.0
    assert classify(fetch(503, "")).retry_after is None


def test_retry_after_may_be_an_http_date():
    now = datetime(2025, 3, 1, 12, 0, 0, tzinfo=timezone.utc).timestamp()
    assert parse_retry_after("Sat, 01 Mar 2025 12:00:30 GMT", now=now) == 30.0
    assert parse_retry_after("Sat, 01 Mar 2025 11:00:00 GMT", now=now) == 0.0
    assert parse_retry_after("soon", now=now) is None


def test_body_is_cut_for_the_attempt_log(fetch):
    error = classify(fetch(400, {"message": "x" * 2000}))
    assert len(error.body) == 500


@pytest.mark.parametrize(("body", "message"), [
    ({"code": 400, "mess": "Hóa đơn đã tồn tại"}, "Hóa đơn đã tồn tại"),
    ({"message": "Mã cơ sở không chính xác"}, "Mã cơ sở không chính xác"),
    ({"success": False, "error": {"message": "Your request is not valid!", "validationErrors": [
        {"message": "The So_luong field is required.", "members": ["input.Chi_tiet[0].So_luong"]},
        {"message": "Bad date."},
    ]}}, "Your request is not valid!; The So_luong field is required. (input.Chi_tiet[0].So_luong); Bad date."),
    ({"error": {"message": "Internal"}}, "Internal"),
    ({"mess": "same", "message": "same"}, "same"),
    ("DCS0001", "DCS0001"),
    (None, ""),
    ([], ""),
])
def test_messages_are_read_from_every_answer_shape(body, message):
    assert extract_message(body) == message


def test_empty_400_gets_a_message_naming_the_status(fetch):
    error = classify(fetch(400, ""))
    assert error.message == "HTTP 400 without a message" and error.errors == []


def test_abp_envelope_items_are_kept(fetch):
    body = {"success": False, "error": {"message": "Your request is not valid!", "validationErrors": [
        {"message": "The Ma_thuoc field is required.", "members": ["input.Hoa_don_chi_tiet[0].Ma_thuoc"]}]}}
    error = classify(fetch(400, body))
    assert error.errors == [{"message": "The Ma_thuoc field is required.",
                             "members": ["input.Hoa_don_chi_tiet[0].Ma_thuoc"]}]


def test_connection_refused_is_transient_and_a_read_timeout_is_unknown():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(requests.ConnectionError) as refused:
        requests.get(f"http://127.0.0.1:{port}/", timeout=1)
    assert type(classify(refused.value)) is TransientError
    assert type(classify(requests.ReadTimeout("read timed out"))) is UnknownOutcomeError
    assert type(classify(requests.exceptions.ChunkedEncodingError("cut"))) is UnknownOutcomeError
    assert type(classify(requests.ConnectionError("Connection aborted."))) is UnknownOutcomeError
