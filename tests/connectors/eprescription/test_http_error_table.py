"""The shared table mapping HTTP statuses and requests failures to typed, retryable-or-not errors."""
from __future__ import annotations

import pytest
import requests
from urllib3.exceptions import MaxRetryError, NewConnectionError

from connectors.http_errors import (
    AuthError,
    MalformedResponseError,
    NotFoundError,
    RejectedError,
    TransientError,
    UnknownOutcomeError,
    error_class_for_status,
    error_for_exception,
    parse_retry_after,
)


@pytest.mark.parametrize("status, expected", [
    (400, RejectedError), (401, AuthError), (403, AuthError), (404, NotFoundError), (408, TransientError),
    (409, RejectedError), (422, RejectedError), (429, TransientError), (500, TransientError),
    (502, TransientError), (503, TransientError), (504, TransientError), (302, MalformedResponseError),
])
def test_status_table(status, expected):
    assert error_class_for_status(status) is expected


def test_a_system_can_override_one_status():
    assert error_class_for_status(404, {404: RejectedError}) is RejectedError
    assert error_class_for_status(401, {404: RejectedError}) is AuthError


def test_only_transient_errors_are_retryable():
    assert [cls.retryable for cls in (TransientError, AuthError, NotFoundError, RejectedError,
                                      UnknownOutcomeError, MalformedResponseError)] == [True] + [False] * 5


def _refused() -> requests.exceptions.ConnectionError:
    return requests.exceptions.ConnectionError(MaxRetryError(None, "/", NewConnectionError(None, "refused")))


@pytest.mark.parametrize("exc, idempotent, expected", [
    (requests.exceptions.ConnectTimeout(), False, TransientError),
    (_refused(), False, TransientError),
    (requests.exceptions.ReadTimeout(), True, TransientError),
    (requests.exceptions.ReadTimeout(), False, UnknownOutcomeError),
    (requests.exceptions.ChunkedEncodingError(), False, UnknownOutcomeError),
    (requests.exceptions.ConnectionError("Connection aborted."), False, UnknownOutcomeError),
    (requests.exceptions.ConnectionError("Connection aborted."), True, TransientError),
])
def test_exception_table(exc, idempotent, expected):
    assert type(error_for_exception(exc, system="x", action="y", idempotent=idempotent)) is expected


@pytest.mark.parametrize("header, expected", [
    ("7", 7.0), (" 120 ", 120.0), (None, None), ("", None), ("soon", None),
    ("Fri, 20 Nov 2026 03:00:30 GMT", 30.0), ("Fri, 20 Nov 2026 02:00:00 GMT", 0.0),
])
def test_retry_after_reads_seconds_and_http_dates(header, expected):
    now = 1795143600.0  # 2026-11-20T03:00:00Z
    assert parse_retry_after(header, now=now) == expected
