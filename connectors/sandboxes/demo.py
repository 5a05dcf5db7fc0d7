"""Demo helpers around the simulators: a latency wrapper, serving a simulator for a set of accounts, and the
e-prescription and health data simulators with today's demo prescriptions. Configuration in, URLs out: nothing here
reads pharmacy's database (connectors/sync/demo.py hands in the stores' accounts)."""
from __future__ import annotations

import logging
import secrets
import threading
import time
from datetime import datetime
from zoneinfo import ZoneInfo

from connectors.eprescription.codes import PRESCRIPTION_TYPES

from .eprescription.prescriptions import demo_prescriptions
from .eprescription.simulator import create_sandbox as create_erx_sandbox
from .healthdata.simulator import BASE_PATH, TOKEN_PATH
from .healthdata.simulator import create_sandbox as create_health_sandbox
from .kit import ServedApp

log = logging.getLogger(__name__)
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


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


def serve_for_accounts(config, make_simulator, accounts: dict, config_key: str, label: str,
                       wrap=lambda simulator: simulator) -> ServedApp:
    """Serve a simulator that knows `accounts` (username -> (password, facility code)), point `config_key` at it."""
    simulator = make_simulator(accounts)
    served = ServedApp(wrap(simulator))
    served.simulator = simulator
    config[config_key] = served.url
    config["SANDBOX_MODE"] = True
    log.info("%s sandbox at %s (%d accounts)", label, served.url, len(accounts))
    return served


def start_prescription_sandboxes(app) -> list[str]:
    """Serve the simulators on loopback for the systems with no address configured, point the app at them, and
    return lines to print (the demo prescription codes a pharmacist can type at the counter)."""
    lines, config = [], app.config
    if not (config.get("ERX_URL") and config.get("ERX_APP_NAME") and config.get("ERX_APP_KEY")):
        prescriptions = demo_prescriptions(datetime.now(VIETNAM).date())
        name, key = "pharmacy-pos-demo", secrets.token_urlsafe(16)
        served = ServedApp(create_erx_sandbox(name, key, prescriptions))
        config.update({"ERX_URL": served.url, "ERX_APP_NAME": name, "ERX_APP_KEY": key, "SANDBOX_MODE": True})
        lines.append(f"sandbox e-prescription system at {served.url} (SANDBOX MODE); demo prescription codes:")
        lines.extend(f"  {code}  {PRESCRIPTION_TYPES[code[-1]]}, {body['ho_ten_benh_nhan']}"
                     for code, body in prescriptions.items())
    if config.get("HEALTH_DATA_ENABLED") and not config.get("HEALTH_DATA_URL"):
        client_id, secret = "pharmacy-pos-demo", secrets.token_urlsafe(16)
        served = ServedApp(create_health_sandbox(client_id, secret))
        config.update({"HEALTH_DATA_URL": served.url + BASE_PATH, "HEALTH_DATA_TOKEN_URL": served.url + TOKEN_PATH,
                       "HEALTH_DATA_CLIENT_ID": client_id, "HEALTH_DATA_CLIENT_SECRET": secret, "SANDBOX_MODE": True})
        lines.append(f"sandbox health data system (FHIR R4) at {served.url}{BASE_PATH} (SANDBOX MODE)")
    if not config.get("BANK_WEBHOOK_KEY"):
        config.update({"BANK_WEBHOOK_KEY": secrets.token_urlsafe(16), "SANDBOX_MODE": True})
        lines.append("sandbox bank: the counter's transfer QR has a 'sandbox bank: pay' button (SANDBOX MODE)")
    return lines
