"""The one sync runner: claim due messages, send them from a small thread pool, record every attempt."""
from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

import requests
from requests.adapters import HTTPAdapter
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from urllib3.util.retry import Retry

from connectors.nationaldb.client import LegacyClient
from connectors.nationaldb.errors import AuthError
from pharmacy.clock import utcnow

from .claims import Backoff, claim_batch, recheck_held, record_result
from .plans import Job
from .prescription_lane import PrescriptionLane
from .prescription_plans import PrescriptionJob
from .sender import Result, execute, failure
from .v2_lane import V2Lane
from .v2_plans import V2Job

log = logging.getLogger(__name__)


class ThreadLocalSession:
    """Looks like a requests.Session to LegacyClient, but each thread gets its own (requests is not thread-safe)."""

    def __init__(self, pool_size: int = 4):
        self._local = threading.local()
        self._pool_size = pool_size
        self._all: list[requests.Session] = []
        self._lock = threading.Lock()

    def request(self, *args, **kwargs):
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            adapter = HTTPAdapter(pool_maxsize=self._pool_size, max_retries=Retry(total=0, read=0, connect=0,
                                                                                  status=0, redirect=0, other=0))
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            self._local.session = session
            with self._lock:
                self._all.append(session)
        return session.request(*args, **kwargs)

    def close(self) -> None:
        with self._lock:
            for session in self._all:
                session.close()
            self._all.clear()


@dataclass
class PassSummary:
    """Counts per outcome of one pass (sent, transient, unknown, rejected, auth, held, cancelled, …)."""

    counts: Counter = field(default_factory=Counter)
    released: int = 0
    seconds: float = 0.0

    def describe(self) -> str:
        parts = [f"{name}={count}" for name, count in sorted(self.counts.items())]
        return f"sync pass: {' '.join(parts) or 'nothing due'}; held released={self.released}; {self.seconds:.2f}s"


class SyncRunner:
    """Sends due outbox messages to the legacy national API. Keep one per worker process: it caches one
    LegacyClient (and its token) per store account, and one HTTP session per thread."""

    def __init__(self, engine: Engine, vault, base_url: str, *, concurrency: int = 4, batch_size: int | None = None,
                 lease_seconds: float = 300, backoff: Backoff | None = None, clock=utcnow,
                 timeout: tuple[float, float] | float = (3.05, 30), worker_id: str | None = None,
                 prescription_config: dict | None = None,
                 v2_base_url: str | None = None):
        self.engine = engine
        self.vault = vault
        self.base_url = base_url
        self.concurrency = max(1, concurrency)
        self.batch_size = batch_size or 2 * self.concurrency
        self.lease_seconds = lease_seconds
        self.backoff = backoff or Backoff()
        self.clock = clock
        self.timeout = timeout
        self.worker = worker_id or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.postgresql = engine.dialect.name == "postgresql"
        self._http = ThreadLocalSession(pool_size=self.concurrency)
        self._clients: dict[tuple, LegacyClient] = {}
        self._clients_lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._claims = 0
        self._refused: dict[tuple, str] = {}
        self._verified: set[tuple] = set()
        self._gates: dict[tuple, threading.Lock] = {}
        self.prescriptions = PrescriptionLane(self, prescription_config)  # e-prescription + health data
        self.v2 = V2Lane(self, v2_base_url)  # stores on the CSDL Dược v2 API (connectors/sync/v2_*.py)

    @classmethod
    def from_app(cls, app, **overrides) -> SyncRunner:
        """A runner configured from the app (SYNC_* settings); call inside or outside an app context."""
        from pharmacy.extensions import db

        from .settings import runner_settings

        with app.app_context():
            engine = db.engine
        settings = {**runner_settings(app.config, overrides.get("base_url")), **overrides}
        return cls(engine, app.extensions["pharmacy.vault"](), **{"prescription_config": app.config, **settings})

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
        self._http.close()

    # --- one pass ------------------------------------------------------------------------------------------------

    def run_once(self, *, max_seconds: float | None = None) -> PassSummary:
        """Send everything due now (in batches, so memory does not grow with the backlog) and return the counts."""
        started = time.monotonic()
        summary = PassSummary()
        self._refused = {}
        with self._session() as session, session.begin():
            summary.released = recheck_held(session, self.clock()) + self.v2.recheck(session, self.clock())
            summary.released += self.prescriptions.recheck(session, self.clock())
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.concurrency, thread_name_prefix="sync")
        in_flight: set = set()
        exhausted = False
        while True:
            room = 2 * self.batch_size - len(in_flight)
            if not exhausted and (room >= self.batch_size or not in_flight):
                claimed = self._claim(min(room, self.batch_size))
                summary.counts.update(claimed.settled)
                exhausted = claimed.count == 0
                in_flight |= {self._pool.submit(self._process, job) for job in claimed.jobs}
                if claimed.count and not claimed.jobs:
                    continue
            if not in_flight:
                break
            if max_seconds is not None and time.monotonic() - started > max_seconds:
                exhausted = True
            done, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in done:
                outcome = future.result()
                summary.counts[outcome] += 1
                exhausted = exhausted and outcome != "sent"  # a sent original may unblock its void
                if max_seconds is not None and time.monotonic() - started > max_seconds:
                    exhausted = True
        summary.seconds = time.monotonic() - started
        return summary

    def _session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def _claim(self, limit: int):
        self._claims += 1
        owner = f"{self.worker}#{self._claims}"
        with self._session() as session, session.begin():
            claimed = claim_batch(session, owner=owner, worker=self.worker, now=self.clock(), limit=limit,
                                  lease_seconds=self.lease_seconds, postgresql=self.postgresql)
            self.v2.claim(session, claimed, owner=owner, now=self.clock(), limit=limit - claimed.count)
            self.prescriptions.claim(session, claimed, owner=owner, now=self.clock(),
                                     limit=limit - claimed.count)
            return claimed

    def _process(self, job: Job) -> str:
        """Send one job (no transaction open), then record the outcome in a new short transaction."""
        if isinstance(job, PrescriptionJob):
            return self.prescriptions.process(job)
        if isinstance(job, V2Job):
            return self.v2.process(job)
        started_at = self.clock()
        try:
            result = self._send(job)
        except Exception as exc:  # noqa: BLE001 - a bug must not kill the pool; the lease makes it retry safely
            log.exception("sync: job %s failed unexpectedly", job.message_id)
            result = Result("unknown", message=f"internal error: {type(exc).__name__}", outcome_unknown=True)
        with self._session() as session, session.begin():
            return record_result(session, job, result, started_at=started_at, now=self.clock(), worker=self.worker,
                                 backoff=self.backoff, postgresql=self.postgresql)

    def _send(self, job: Job) -> Result:
        """Until an account has worked once, its jobs go one at a time, so bad credentials cost one login."""
        if job.account in self._verified:
            return self._send_checked(job)
        with self._gate(job.account):
            result = self._send_checked(job)
            if result.outcome not in ("auth", "transient", "unknown"):
                self._verified.add(job.account)
            return result

    def _send_checked(self, job: Job) -> Result:
        refused = self._refused.get(job.account)
        if refused is not None:
            return failure(AuthError(refused), job.check_first)
        result = execute(self._client(job), job)
        if result.outcome == "auth":
            # Bad credentials: one login per account per pass, never a loop of logins.
            self._refused[job.account] = result.message.removeprefix("national login refused: ")
            self._verified.discard(job.account)
        return result

    def _gate(self, account: tuple) -> threading.Lock:
        with self._clients_lock:
            return self._gates.setdefault(account, threading.Lock())

    def _client(self, job: Job) -> LegacyClient:
        key = (job.store_id, *job.account)
        with self._clients_lock:
            client = self._clients.get(key)
            if client is None:
                password = self.vault.decrypt(job.account[1])
                client = LegacyClient(self.base_url, job.account[0], password, session=self._http,
                                      timeout=self.timeout)
                self._clients[key] = client
            return client


def run_pass(app, **overrides) -> PassSummary:
    """One pass with a fresh runner (the CLI's `sync run`)."""
    runner = SyncRunner.from_app(app, **overrides)
    try:
        return runner.run_once()
    finally:
        runner.close()


