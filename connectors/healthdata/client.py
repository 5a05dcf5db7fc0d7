"""HTTP client of the Health Data Coordination System: OAuth2 client-credentials token cache and bundle posting."""
from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import requests

from connectors import http_errors

from .errors import SYSTEM, TOKEN_OVERRIDES, AuthError, MalformedResponseError, remote_message

FHIR_JSON = "application/fhir+json"


@dataclass(frozen=True)
class EntryOutcome:
    """One entry of the transaction-response: "201 Created" for a new resource, "200 OK" when it already existed."""

    status: str
    location: str | None

    @property
    def created(self) -> bool:
        return self.status.startswith("201")


@dataclass(frozen=True)
class BundleResult:
    status: int
    entries: tuple[EntryOutcome, ...]
    raw: dict = field(compare=False, repr=False)

    @property
    def created(self) -> int:
        """How many resources this post created (0 for a resend of a stored bundle)."""
        return sum(1 for entry in self.entries if entry.created)


class HealthDataClient:
    """Posts transaction bundles with a cached bearer token (renewed shortly before expiry, and once on a 401).

    Bundles are conditional creates, so a post is idempotent: a timeout or broken answer is a TransientError
    and the same bundle may simply be sent again.
    """

    def __init__(self, base_url: str, token_url: str, client_id: str, client_secret: str, *,
                 session: requests.Session | None = None, timeout: float | tuple[float, float] = (3.05, 30),
                 clock: Callable[[], float] = time.monotonic, refresh_margin: float = 30.0):
        self.base_url = base_url.rstrip("/")
        self.token_url = token_url
        self.client_id = client_id
        self._client_secret = client_secret
        self.session = session or requests.Session()
        self.timeout = timeout
        self.clock = clock
        self.refresh_margin = refresh_margin
        self.token_fetches = 0
        self._token: str | None = None
        self._renew_at = 0.0
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"HealthDataClient({self.base_url!r}, client_id={self.client_id!r})"

    def post_bundle(self, bundle: dict) -> BundleResult:
        """POST a transaction Bundle to the base URL; raise a typed error (RejectedError carries the
        OperationOutcome's issues as its message)."""
        token = self._valid_token()
        try:
            response = self._post(bundle, token)
        except AuthError as exc:
            if exc.status != 401:
                raise
            self._forget(token)  # revoked or expired early: one new token, one retry
            response = self._post(bundle, self._valid_token())
        return _parse_result(response)

    def _post(self, bundle: dict, token: str) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}", "Content-Type": FHIR_JSON, "Accept": FHIR_JSON}
        return http_errors.send(
            self.session, "POST", self.base_url, system=SYSTEM, action="post bundle", idempotent=True,
            message_reader=remote_message, headers=headers, timeout=self.timeout,
            data=json.dumps(bundle, ensure_ascii=False).encode("utf-8"),
        )

    def _valid_token(self) -> str:
        with self._lock:
            if self._token is None or self.clock() >= self._renew_at:
                self._fetch_token()
            return self._token

    def _forget(self, token: str) -> None:
        with self._lock:
            if self._token == token:
                self._token = None

    def _fetch_token(self) -> None:
        requested_at = self.clock()
        self.token_fetches += 1
        response = http_errors.send(
            self.session, "POST", self.token_url, system=SYSTEM, action="get token", idempotent=True,
            message_reader=remote_message, overrides=TOKEN_OVERRIDES, timeout=self.timeout,
            data={"grant_type": "client_credentials"}, auth=(self.client_id, self._client_secret),
            headers={"Accept": "application/json"},
        )
        body = http_errors.json_body(response, system=SYSTEM, action="get token")
        token = body.get("access_token") if isinstance(body, dict) else None
        try:
            expires_in = float(body.get("expires_in", 300))
        except (TypeError, ValueError):
            expires_in = 300.0
        if not token:
            raise MalformedResponseError(f"{SYSTEM}: get token: no access_token in the answer", system=SYSTEM,
                                         status=response.status_code)
        # Renew a little early so a token never expires in flight; short-lived tokens get a proportional margin.
        self._token = token
        self._renew_at = requested_at + expires_in - min(self.refresh_margin, expires_in / 10)


def _parse_result(response: requests.Response) -> BundleResult:
    body = http_errors.json_body(response, system=SYSTEM, action="post bundle")
    if not isinstance(body, dict) or body.get("resourceType") != "Bundle":
        raise MalformedResponseError(f"{SYSTEM}: post bundle: the answer is not a transaction-response Bundle",
                                     system=SYSTEM, status=response.status_code, detail=response.text[:500])
    entries = tuple(
        EntryOutcome(status=str((entry.get("response") or {}).get("status", "")),
                     location=(entry.get("response") or {}).get("location"))
        for entry in body.get("entry") or [] if isinstance(entry, dict)
    )
    return BundleResult(status=response.status_code, entries=entries, raw=body)
