"""The e-prescription and health data clients built from configuration, and which report targets are on."""
from __future__ import annotations

import requests

from connectors.eprescription.client import EPrescriptionClient
from connectors.healthdata.client import HealthDataClient
from connectors.sync.settings import setting

ERX, HEALTH_DATA = "eprescription", "health_data"


def erx_configured(config) -> bool:
    return bool(config.get("ERX_URL") and config.get("ERX_APP_NAME") and config.get("ERX_APP_KEY"))


def health_data_configured(config) -> bool:
    return bool(config.get("HEALTH_DATA_ENABLED") and config.get("HEALTH_DATA_URL")
                and config.get("HEALTH_DATA_TOKEN_URL") and config.get("HEALTH_DATA_CLIENT_ID"))


def report_targets(config) -> tuple[str, ...]:
    """Where a sale against a national prescription is reported: the e-prescription system always (the law
    requires it), the health data system unless the deployment turned it off (HEALTH_DATA_ENABLED=0)."""
    return (ERX, HEALTH_DATA) if config.get("HEALTH_DATA_ENABLED", True) else (ERX,)


def erx_client(config, *, session: requests.Session | None = None, timeout=None) -> EPrescriptionClient:
    """The e-prescription client; the app-key goes into a header only, never into logs or errors."""
    if not erx_configured(config):
        raise LookupError("ERX_URL, ERX_APP_NAME and ERX_APP_KEY are not configured")
    seconds = setting(config, "ERX_TIMEOUT_SECONDS")
    return EPrescriptionClient(config["ERX_URL"], config["ERX_APP_NAME"], config["ERX_APP_KEY"], session=session,
                               timeout=timeout or (3.05, seconds))


def health_data_client(config, *, session: requests.Session | None = None, timeout=None) -> HealthDataClient:
    if not health_data_configured(config):
        raise LookupError("HEALTH_DATA_URL, HEALTH_DATA_TOKEN_URL and HEALTH_DATA_CLIENT_ID are not configured")
    return HealthDataClient(config["HEALTH_DATA_URL"], config["HEALTH_DATA_TOKEN_URL"],
                            config["HEALTH_DATA_CLIENT_ID"], config.get("HEALTH_DATA_CLIENT_SECRET") or "",
                            session=session, timeout=timeout or (3.05, 30))
