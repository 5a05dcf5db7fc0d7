"""The sync's settings, read from the app config; their defaults and the environment live in pharmacy/config.py."""
from __future__ import annotations

from pharmacy.config import DEFAULTS, setting

__all__ = ["DEFAULTS", "runner_settings", "setting"]


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
