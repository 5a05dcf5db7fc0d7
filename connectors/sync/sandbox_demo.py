"""The legacy sandbox for the one-command demo and the benchmark: accounts from the stores, optional latency."""
from __future__ import annotations

import logging
import threading
import time

from sqlalchemy import select

from connectors.nationaldb.sandbox import create_sandbox
from connectors.sandbox_kit import ServedApp

log = logging.getLogger(__name__)


class LatencyMiddleware:
    """Delays every request by `seconds` (a WSGI wrapper, so the simulator itself stays as it is)."""

    def __init__(self, app, seconds: float = 0.0):
        self.app = app
        self.seconds = seconds
        self.in_flight = 0
        self._idle = threading.Condition()

    def __call__(self, environ, start_response):
        with self._idle:
            self.in_flight += 1
        try:
            if self.seconds > 0:
                time.sleep(self.seconds)
            return self.app(environ, start_response)
        finally:
            with self._idle:
                self.in_flight -= 1
                self._idle.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """Wait until no request is being handled (e.g. a hung one the client gave up on has landed)."""
        with self._idle:
            return self._idle.wait_for(lambda: self.in_flight == 0, timeout=timeout)


def sandbox_accounts(session, vault) -> dict[str, tuple[str, str]]:
    """username -> (password, facility code) for every store with a legacy national account."""
    from pharmacy.stores.models import Store

    accounts = {}
    for store in session.execute(select(Store)).scalars():
        if store.national_username and store.national_password_encrypted:
            accounts[store.national_username] = (vault.decrypt(store.national_password_encrypted),
                                                 store.national_facility_code)
    return accounts


def _serve_for_stores(app, make_simulator, config_key: str, label: str, wrap=lambda simulator: simulator):
    """Serve a simulator that knows every store's national account, point `config_key` at it, show the banner."""
    from pharmacy.extensions import db

    with app.app_context():
        accounts = sandbox_accounts(db.session, app.extensions["pharmacy.vault"]())
        db.session.rollback()
    simulator = make_simulator(accounts)
    served = ServedApp(wrap(simulator))
    served.simulator = simulator
    app.config[config_key] = served.url
    app.config["SANDBOX_MODE"] = True
    log.info("%s sandbox at %s (%d accounts)", label, served.url, len(accounts))
    return served


def start_demo_sandbox(app, latency: float = 0.0) -> ServedApp:
    """The legacy national drug database simulator on loopback (optionally slowed down); points the app at it."""
    return _serve_for_stores(app, create_sandbox, "NATIONAL_DRUG_DB_URL", "national drug database",
                             wrap=lambda simulator: LatencyMiddleware(simulator, latency))


def start_demo_v2_sandbox(app) -> ServedApp:
    """The CSDL Dược v2 simulator (sample catalogue as master drugs) for every store account, so a store can be
    switched to v2 while the demo runs; points CSDL_DUOC_URL at it."""
    from connectors.csdl_duoc.sandbox import create_sandbox as create_v2_sandbox

    return _serve_for_stores(app, create_v2_sandbox, "CSDL_DUOC_URL", "CSDL Dược v2")
