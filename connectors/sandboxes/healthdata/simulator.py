"""A WSGI simulator of the Health Data Coordination System: an OAuth2 token endpoint and a FHIR transaction base."""
from __future__ import annotations

import base64
import copy
import hmac
import itertools
import json
import secrets
import threading
import time
from collections.abc import Callable

from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError
from werkzeug.wrappers import Request, Response

from connectors.healthdata.identifiers import BundleType, HTTPVerb
from connectors.sandboxes.kit import (
    FAULT_400_ENVELOPE,
    FAULT_429,
    FAULT_500,
    FAULT_503,
    FAULT_DROP_AFTER_STORE,
    FAULT_HANG,
    FAULT_INVALIDATE_TOKEN,
    FaultPlan,
    dropped_connection_response,
)

TOKEN_PATH = "/oauth/token"
BASE_PATH = "/fhir"


class _Refused(Exception):
    def __init__(self, status: int, code: str, text: str, where: list[str] | None = None):
        super().__init__(text)
        self.response = _outcome(status, [(code, text, where or [])])


class HealthDataSandbox:
    """The simulator: a WSGI callable plus inspection helpers for tests.

    Tokens live `token_lifetime` seconds of `clock`; `expire_all_tokens()` revokes them all. Bundles are validated
    with fhir.resources.R4B and applied atomically; `ifNoneExist` on an existing identifier answers 200 without
    creating anything. Faults are taken per route: "token" or "bundle".
    """

    def __init__(self, client_id: str, client_secret: str, *, faults: FaultPlan | None = None,
                 token_lifetime: float = 3600, clock: Callable[[], float] = time.monotonic):
        self.client_id = client_id
        self._client_secret = client_secret
        self.faults = faults or FaultPlan()
        self.token_lifetime = token_lifetime
        self.clock = clock
        self.tokens_issued = 0
        self.bundles_accepted = 0
        self.resources: dict[str, dict[str, dict]] = {}   # type -> id -> resource
        self._tokens: dict[str, float] = {}              # token -> expiry on `clock`
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    # --- inspection -------------------------------------------------------------------------------------
    def expire_all_tokens(self) -> None:
        with self._lock:
            self._tokens.clear()

    def count(self, resource_type: str | None = None) -> int:
        with self._lock:
            if resource_type:
                return len(self.resources.get(resource_type, {}))
            return sum(len(stored) for stored in self.resources.values())

    def find(self, resource_type: str, system: str, value: str) -> list[dict]:
        """Stored resources of a type carrying this identifier."""
        with self._lock:
            return [copy.deepcopy(r) for r in self._matches(resource_type, system, value)]

    # --- WSGI -------------------------------------------------------------------------------------------
    def __call__(self, environ, start_response):
        request = Request(environ)
        if request.method == "POST" and request.path == TOKEN_PATH:
            route, handler = "token", self._issue_token
        elif request.method == "POST" and request.path.rstrip("/") == BASE_PATH:
            route, handler = "bundle", self._transaction
        else:
            return _outcome(404, [("not-found", f"No route {request.method} {request.path}", [])])(
                environ, start_response)
        fault = self.faults.take(route)
        early = self._fault_response(fault)
        if early is not None:
            return early(environ, start_response)
        if fault == FAULT_HANG:
            self.faults.hang()
        response = handler(request)
        if fault == FAULT_DROP_AFTER_STORE:
            return dropped_connection_response(start_response)
        return response(environ, start_response)

    def _fault_response(self, fault: str | None) -> Response | None:
        if fault in (FAULT_500, FAULT_503):
            return _outcome(int(fault), [("transient", "Hệ thống tạm thời không xử lý được yêu cầu", [])])
        if fault == FAULT_429:
            response = _outcome(429, [("throttled", "Quá nhiều yêu cầu", [])])
            response.headers["Retry-After"] = str(self.faults.retry_after)
            return response
        if fault == FAULT_INVALIDATE_TOKEN:
            self.expire_all_tokens()
            return _unauthorized()
        if fault == FAULT_400_ENVELOPE:
            return _outcome(400, [("business-rule", "Dữ liệu không hợp lệ theo quy định", [])])
        return None

    def _issue_token(self, request: Request) -> Response:
        client_id, secret = _client_credentials(request)
        if request.form.get("grant_type") != "client_credentials":
            return _json(400, {"error": "unsupported_grant_type"})
        if client_id != self.client_id or not hmac.compare_digest(secret.encode(), self._client_secret.encode()):
            return _json(401, {"error": "invalid_client", "error_description": "Unknown client or wrong secret"})
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._tokens[token] = self.clock() + self.token_lifetime
            self.tokens_issued += 1
        return _json(200, {"access_token": token, "token_type": "Bearer", "expires_in": int(self.token_lifetime)})

    def _token_valid(self, request: Request) -> bool:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        with self._lock:
            expiry = self._tokens.get(token) if scheme.lower() == "bearer" else None
            return expiry is not None and self.clock() < expiry

    def _transaction(self, request: Request) -> Response:
        if not self._token_valid(request):
            return _unauthorized()
        if request.mimetype not in ("application/fhir+json", "application/json"):
            return _outcome(415, [("not-supported", f"Unsupported content type {request.mimetype!r}", [])])
        body = request.get_json(force=True, silent=True)
        if not isinstance(body, dict):
            return _outcome(400, [("structure", "The body is not a JSON object", [])])
        try:
            Bundle.model_validate(body)
        except ValidationError as exc:
            return _outcome(400, [("structure", error["msg"], [_path(error["loc"])]) for error in exc.errors()])
        try:
            with self._lock:
                answer = self._apply(body)
        except _Refused as refused:
            return refused.response
        return _json(200, answer, content_type="application/fhir+json")

    def _apply(self, bundle: dict) -> dict:
        """Resolve every entry first (existing or new id), then store the new ones: all or nothing."""
        if bundle.get("type") != BundleType.TRANSACTION:
            raise _Refused(400, "not-supported", "Only transaction bundles are accepted", ["Bundle.type"])
        planned, targets, outcomes = [], {}, []
        for index, entry in enumerate(bundle.get("entry") or []):
            where = f"Bundle.entry[{index}]"
            resource, request = entry.get("resource") or {}, entry.get("request") or {}
            kind = resource.get("resourceType")
            if request.get("method") != HTTPVerb.POST or request.get("url") != kind:
                raise _Refused(400, "not-supported", "Only POST <ResourceType> entries are supported",
                               [f"{where}.request"])
            existing = self._existing(kind, request.get("ifNoneExist"), planned, where)
            if existing is None:
                new_id = str(next(self._ids))
                planned.append((kind, new_id, resource))
                target, status = f"{kind}/{new_id}", "201 Created"
            else:
                target, status = existing, "200 OK"
            if entry.get("fullUrl"):
                targets[entry["fullUrl"]] = target
            outcomes.append({"response": {"status": status, "location": f"{target}/_history/1", "etag": 'W/"1"'}})
        for kind, new_id, resource in planned:
            stored = _resolve_references(copy.deepcopy(resource), targets) | {"id": new_id}
            self.resources.setdefault(kind, {})[new_id] = stored
        self.bundles_accepted += 1
        return {"resourceType": "Bundle", "type": BundleType.TRANSACTION_RESPONSE.value, "entry": outcomes}

    def _existing(self, kind: str, condition: str | None, planned: list, where: str) -> str | None:
        """The "Type/id" a conditional create resolves to, or None to create. Only identifier=system|value."""
        if not condition:
            return None
        name, _, token = condition.partition("=")
        system, bar, value = token.partition("|")
        if name != "identifier" or not bar:
            raise _Refused(400, "not-supported", f"Unsupported ifNoneExist {condition!r}", [f"{where}.request"])
        found = [f"{kind}/{r['id']}" for r in self._matches(kind, system, value)]
        found += [f"{k}/{i}" for k, i, r in planned if k == kind and _has_identifier(r, system, value)]
        if len(found) > 1:
            raise _Refused(412, "duplicate", f"ifNoneExist {condition!r} matches several resources",
                           [f"{where}.request"])
        return found[0] if found else None

    def _matches(self, kind: str, system: str, value: str) -> list[dict]:
        return [r for r in self.resources.get(kind, {}).values() if _has_identifier(r, system, value)]


def create_sandbox(client_id: str, client_secret: str, faults: FaultPlan | None = None, *,
                   token_lifetime: float = 3600, clock: Callable[[], float] = time.monotonic) -> HealthDataSandbox:
    """A simulator accepting these client credentials."""
    return HealthDataSandbox(client_id, client_secret, faults=faults, token_lifetime=token_lifetime, clock=clock)


def _has_identifier(resource: dict, system: str, value: str) -> bool:
    return any(i.get("system") == system and i.get("value") == value for i in resource.get("identifier") or [])


def _resolve_references(node, targets: dict):
    """Rewrite urn:uuid references to the Type/id they were given, as a FHIR server does in a transaction."""
    if isinstance(node, dict):
        return {key: (targets.get(value, value) if key == "reference" and isinstance(value, str)
                      else _resolve_references(value, targets)) for key, value in node.items()}
    if isinstance(node, list):
        return [_resolve_references(item, targets) for item in node]
    return node


def _client_credentials(request: Request) -> tuple[str, str]:
    """Client id and secret from HTTP Basic (preferred by RFC 6749) or from the form."""
    scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "basic":
        try:
            client_id, _, secret = base64.b64decode(encoded).decode("utf-8").partition(":")
            return client_id, secret
        except (ValueError, UnicodeDecodeError):
            return "", ""
    return request.form.get("client_id", ""), request.form.get("client_secret", "")


def _path(loc) -> str:
    return "Bundle" + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc)


def _unauthorized() -> Response:
    response = _outcome(401, [("login", "The access token is missing, invalid or expired", [])])
    response.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    return response


def _outcome(status: int, issues: list[tuple[str, str, list[str]]]) -> Response:
    body = {"resourceType": "OperationOutcome",
            "issue": [{"severity": "error", "code": code, "diagnostics": text,
                       **({"expression": where} if where else {})} for code, text, where in issues]}
    return _json(status, body, content_type="application/fhir+json")


def _json(status: int, body, content_type: str = "application/json") -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status, content_type=f"{content_type}; charset=utf-8")
