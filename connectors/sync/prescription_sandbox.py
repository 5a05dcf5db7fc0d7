"""The e-prescription and health data simulators for the one-command demo, with today's demo prescriptions."""
from __future__ import annotations

import logging
import secrets

from connectors.eprescription.codes import PRESCRIPTION_TYPES
from connectors.eprescription.sandbox import create_sandbox as create_erx_sandbox
from connectors.eprescription.sandbox import demo_prescriptions
from connectors.healthdata.sandbox import BASE_PATH, TOKEN_PATH
from connectors.healthdata.sandbox import create_sandbox as create_health_sandbox
from connectors.sandbox_kit import ServedApp
from pharmacy.clock import local_today

from .prescription_clients import erx_configured

log = logging.getLogger(__name__)


def start_prescription_sandboxes(app) -> list[str]:
    """Serve the simulators on loopback for the systems with no address configured, point the app at them, and
    return lines to print (the demo prescription codes a pharmacist can type at the counter)."""
    lines, config = [], app.config
    if not erx_configured(config):
        prescriptions = demo_prescriptions(local_today())
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
    return lines
