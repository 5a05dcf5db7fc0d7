"""The sync schedule as data (APScheduler 3.11): a background scheduler for one pharmacy, a blocking one for a
worker."""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler

from .lanes.v2.catalog import CATALOG_JOB_ID, catalog_job
from .settings import setting

log = logging.getLogger(__name__)
TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")
SYNC_JOB_ID = "national_drug_db.sync"
EXTENSION = "pharmacy.sync_scheduler"


class SyncService:
    """Owns the worker's one SyncRunner (its clients and token caches live as long as the process)."""

    def __init__(self, app):
        self.app = app
        self._runner = None
        self._lock = threading.Lock()

    def run(self):
        """One pass; the job function. Never raises into the scheduler."""
        from .runner import SyncRunner

        with self._lock:
            try:
                if self._runner is None:
                    self._runner = SyncRunner.from_app(self.app)
                summary = self._runner.run_once()
            except Exception:  # noqa: BLE001 - keep the schedule alive; the outbox keeps the state
                log.exception("sync pass failed")
                return None
        return summary

    def unconfigured_lines(self) -> list[str]:
        """One line per lane that lacks its settings (its messages wait as held until they are set)."""
        from .runner import SyncRunner

        with self._lock:
            if self._runner is None:
                self._runner = SyncRunner.from_app(self.app)
            missing = self._runner.unconfigured()
        return [f"{lane}: not configured ({', '.join(names)}): its messages wait as held"
                for lane, names in missing.items()]

    def close(self) -> None:
        with self._lock:
            if self._runner is not None:
                self._runner.close()
                self._runner = None


def sync_job(service: SyncService):
    """The scheduled job: a plain function tests can call directly."""
    return service.run()


@dataclass(frozen=True)
class JobSpec:
    """One scheduled job: a stable id, the function, and its interval."""

    id: str
    func: object
    seconds: int
    misfire_grace_time: int = 60


def job_specs(config) -> list[JobSpec]:
    specs = [JobSpec(SYNC_JOB_ID, sync_job, setting(config, "SYNC_INTERVAL_SECONDS"))]
    if config.get("CSDL_DUOC_URL"):  # the v2 catalogue refresh, once an address for the v2 API is known
        specs.append(JobSpec(CATALOG_JOB_ID, catalog_job, setting(config, "CATALOG_SYNC_INTERVAL_SECONDS")))
    return specs


def build_scheduler(app, scheduler_class: type[BaseScheduler] = BackgroundScheduler) -> BaseScheduler:
    """A scheduler holding the sync jobs (first run at once); `scheduler.sync_service` closes the runner."""
    service = SyncService(app)
    scheduler = scheduler_class(timezone=TIMEZONE, executors={"default": ThreadPoolExecutor(1)},
                                job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 60})
    for spec in job_specs(app.config):
        scheduler.add_job(spec.func, "interval", seconds=spec.seconds, id=spec.id, name=spec.id, args=[service],
                          coalesce=True, max_instances=1, misfire_grace_time=spec.misfire_grace_time,
                          next_run_time=datetime.now(TIMEZONE), replace_existing=True)
    scheduler.sync_service = service
    return scheduler


def start_in_process(app) -> BackgroundScheduler:
    """Start the one-pharmacy scheduler inside the web process (python app.py only, never under a reloader)."""
    scheduler = build_scheduler(app)
    scheduler.start()
    app.extensions[EXTENSION] = scheduler
    return scheduler


def wake(app) -> bool:
    """Run the sync job now in this process if its scheduler lives here; False when a separate worker sends."""
    scheduler = app.extensions.get(EXTENSION)
    if scheduler is None or not scheduler.running:
        return False
    scheduler.modify_job(SYNC_JOB_ID, next_run_time=datetime.now(TIMEZONE))
    return True
