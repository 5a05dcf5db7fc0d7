"""The one sync runner: claim due messages from every lane, send them from a small thread pool, record every attempt.

The runner knows lanes only through `connectors/sync/lane.py`'s protocol; the lanes are listed in
`connectors/sync/lanes/__init__.py`.
"""
from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from pharmacy.clock import utcnow

from .claims import Backoff
from .http import ThreadLocalSession
from .lane import Lane, LaneContext
from .lanes import LANES

log = logging.getLogger(__name__)


@dataclass
class PassSummary:
    """Counts per outcome of one pass (sent, transient, unknown, rejected, auth, held, cancelled, …)."""

    counts: Counter = field(default_factory=Counter)
    released: int = 0
    seconds: float = 0.0
    unconfigured: dict[str, list[str]] = field(default_factory=dict)  # lane -> settings it lacks

    def describe(self) -> str:
        parts = [f"{name}={count}" for name, count in sorted(self.counts.items())]
        text = f"sync pass: {' '.join(parts) or 'nothing due'}; held released={self.released}; {self.seconds:.2f}s"
        if self.unconfigured:
            missing = ", ".join(f"{lane} ({' '.join(names)})" for lane, names in self.unconfigured.items())
            text += f"; not configured, its messages wait as held: {missing}"
        return text


class SyncRunner:
    """Sends due outbox messages through every registered lane. Keep one per worker process: lanes cache their
    clients (and tokens) per store account, and the HTTP session keeps one connection pool per thread."""

    def __init__(self, engine: Engine, vault, base_url: str | None = None, *, concurrency: int = 4,
                 batch_size: int | None = None, lease_seconds: float = 300, backoff: Backoff | None = None,
                 clock=utcnow, timeout: tuple[float, float] | float = (3.05, 30), worker_id: str | None = None,
                 prescription_config: dict | None = None, v2_base_url: str | None = None,
                 lanes: tuple[type[Lane], ...] = LANES):
        self.engine = engine
        self.concurrency = max(1, concurrency)
        self.batch_size = batch_size or 2 * self.concurrency
        self.clock = clock
        self.worker = worker_id or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._http = ThreadLocalSession(pool_size=self.concurrency)
        settings = {**(prescription_config or {}), "NATIONAL_DRUG_DB_URL": base_url or None,
                    "CSDL_DUOC_URL": v2_base_url or None}
        self.context = LaneContext(
            settings=settings, vault=vault, http=self._http, clock=clock, worker=self.worker,
            lease_seconds=lease_seconds, backoff=backoff or Backoff(), postgresql=engine.dialect.name == "postgresql",
            timeout=timeout, open_session=self._session)
        self.lanes: list[Lane] = [lane(self.context) for lane in lanes]
        self._pool: ThreadPoolExecutor | None = None
        self._claims = 0

    @classmethod
    def from_app(cls, app, **overrides) -> SyncRunner:
        """A runner configured from the app (SYNC_* settings); call inside or outside an app context."""
        from pharmacy.extensions import db

        from .settings import runner_settings

        with app.app_context():
            engine = db.engine
        settings = {**runner_settings(app.config, overrides.get("base_url")), **overrides}
        return cls(engine, app.extensions["pharmacy.vault"](), **{"prescription_config": app.config, **settings})

    def unconfigured(self) -> dict[str, list[str]]:
        """Lanes that lack their settings (their messages are held with that reason)."""
        return {lane.name: missing for lane in self.lanes if (missing := lane.missing_settings())}

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
        for lane in self.lanes:
            lane.close()
        self._http.close()

    # --- one pass ------------------------------------------------------------------------------------------------

    def run_once(self, *, max_seconds: float | None = None) -> PassSummary:
        """Send everything due now (in batches, so memory does not grow with the backlog) and return the counts."""
        started = time.monotonic()
        summary = PassSummary(unconfigured=self.unconfigured())
        with self._session() as session, session.begin():
            summary.released = sum(lane.recheck(session, self.clock()) for lane in self.lanes)
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.concurrency, thread_name_prefix="sync")
        in_flight: set = set()
        exhausted = False
        while True:
            room = 2 * self.batch_size - len(in_flight)
            if not exhausted and (room >= self.batch_size or not in_flight):
                count, jobs = self._claim(min(room, self.batch_size), summary.counts)
                exhausted = count == 0
                in_flight |= {self._pool.submit(self._send, lane, job) for lane, job in jobs}
                if count and not jobs:
                    continue
            if not in_flight:
                break
            if max_seconds is not None and time.monotonic() - started > max_seconds:
                exhausted = True
            done, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
            for outcome in self._record([future.result() for future in done]):
                summary.counts[outcome] += 1
                exhausted = exhausted and outcome != "sent"  # a sent original may unblock its void
            if max_seconds is not None and time.monotonic() - started > max_seconds:
                exhausted = True
        summary.seconds = time.monotonic() - started
        if summary.counts:
            log.info("%s", summary.describe())
        return summary

    def _session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def _claim(self, limit: int, settled: Counter) -> tuple[int, list[tuple[Lane, object]]]:
        """One short transaction: each lane in turn claims what room is left."""
        self._claims += 1
        owner = f"{self.worker}#{self._claims}"
        count, jobs = 0, []
        with self._session() as session, session.begin():
            for lane in self.lanes:
                if count >= limit:
                    break
                claimed = lane.claim(session, owner=owner, now=self.clock(), limit=limit - count)
                count += claimed.count
                settled.update(claimed.settled)
                jobs += [(lane, job) for job in claimed.jobs]
        return count, jobs

    def _send(self, lane: Lane, job) -> tuple[Lane, object, object, object]:
        """Send one job (a pool thread, no transaction open); the main loop records what came back."""
        started_at = self.clock()
        try:
            result = lane.send(job)
        except Exception as exc:  # noqa: BLE001 - a bug must not kill the pool; the lane says how to record it
            log.exception("sync %s: job %s failed unexpectedly", lane.name, job.message_id)
            result = lane.crashed(job, exc)
        return lane, job, result, started_at

    def _record(self, sent: list[tuple]) -> list[str]:
        """Record the sends that finished in one short transaction, from the main loop: the runner's writes stay
        in one thread (on SQLite its threads no longer queue for the write lock one send each). Should that
        transaction fail, each is recorded again in a transaction of its own, so one bad row costs no others."""
        try:
            with self._session() as session, session.begin():
                return [self._record_one(session, *item) for item in sent]
        except Exception:  # noqa: BLE001 - retried one by one below; a failure there propagates
            if len(sent) == 1:
                raise
            log.exception("sync: recording %d results together failed; recording them one by one", len(sent))
        outcomes = []
        for item in sent:
            with self._session() as session, session.begin():
                outcomes.append(self._record_one(session, *item))
        return outcomes

    def _record_one(self, session: Session, lane: Lane, job, result, started_at) -> str:
        outcome = lane.record(session, job, result, started_at=started_at, now=self.clock())
        log.info("sync %s: store %s %s -> %s", lane.name, getattr(job, "store_id", "-"), job.number, outcome)
        return outcome


def run_pass(app, **overrides) -> PassSummary:
    """One pass with a fresh runner (the CLI's `sync run`)."""
    runner = SyncRunner.from_app(app, **overrides)
    try:
        return runner.run_once()
    finally:
        runner.close()
