"""The sync's settings: read from the app config, or from the environment by their plain names."""
from __future__ import annotations

import os

DEFAULTS = {
    "SYNC_CONCURRENCY": 4,
    "SYNC_BATCH_SIZE": 0,               # 0: twice the concurrency
    "SYNC_LEASE_SECONDS": 300.0,
    "SYNC_BACKOFF_BASE_SECONDS": 30.0,
    "SYNC_BACKOFF_MAX_SECONDS": 3600.0,
    "SYNC_INTERVAL_SECONDS": 60,
    "CATALOG_SYNC_INTERVAL_SECONDS": 6 * 3600,   # CSDL Dược v2 master drugs, incremental
    "SYNC_CONNECT_TIMEOUT": 3.05,
    "SYNC_READ_TIMEOUT": 30.0,
}


def setting(config, name: str):
    """`config[name]` when set, else the environment variable, else the default (typed like the default)."""
    default = DEFAULTS[name]
    value = config.get(name)
    if value in (None, ""):
        value = os.environ.get(name, "")
    if value in (None, ""):
        return default
    return type(default)(value)


def runner_settings(config, base_url: str | None = None) -> dict:
    """Keyword arguments for SyncRunner. A lane whose address is missing holds its messages with that reason."""
    from .claims import Backoff

    return {
        "base_url": base_url or config.get("NATIONAL_DRUG_DB_URL") or None,
        "v2_base_url": config.get("CSDL_DUOC_URL") or None,
        "concurrency": setting(config, "SYNC_CONCURRENCY"),
        "batch_size": setting(config, "SYNC_BATCH_SIZE") or None,
        "lease_seconds": setting(config, "SYNC_LEASE_SECONDS"),
        "backoff": Backoff(setting(config, "SYNC_BACKOFF_BASE_SECONDS"), setting(config, "SYNC_BACKOFF_MAX_SECONDS")),
        "timeout": (setting(config, "SYNC_CONNECT_TIMEOUT"), setting(config, "SYNC_READ_TIMEOUT")),
    }
