"""Configuration read from environment variables by their plain names."""
from __future__ import annotations

import os
from pathlib import Path


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def from_environment(instance_path: str) -> dict:
    """The app's settings: plain environment names, safe defaults for a one-pharmacy install."""
    default_db = "sqlite:///" + str(Path(instance_path) / "pharmacy.db")
    return {
        "SQLALCHEMY_DATABASE_URI": normalize_database_url(os.environ.get("DATABASE_URL") or default_db),
        "SECRET_KEY": os.environ.get("SECRET_KEY"),
        "CREDENTIALS_KEY": os.environ.get("CREDENTIALS_KEY"),
        "MAX_CONTENT_LENGTH": _int("MAX_CONTENT_LENGTH", 1024 * 1024),
        "API_TOKEN_MAX_AGE_SECONDS": _int("API_TOKEN_MAX_AGE_SECONDS", 12 * 3600),
        "NEAR_EXPIRY_DAYS": _int("NEAR_EXPIRY_DAYS", 90),
        "LOGIN_MAX_FAILURES": _int("LOGIN_MAX_FAILURES", 5),
        "LOGIN_LOCK_SECONDS": _int("LOGIN_LOCK_SECONDS", 30),
        "LOGIN_MAX_LOCK_SECONDS": _int("LOGIN_MAX_LOCK_SECONDS", 900),
        "NATIONAL_DRUG_DB_URL": os.environ.get("NATIONAL_DRUG_DB_URL"),
        "CSDL_DUOC_URL": os.environ.get("CSDL_DUOC_URL"),
        "SYNC_INTERVAL_SECONDS": _int("SYNC_INTERVAL_SECONDS", 60),
        "SYNC_BACKOFF_BASE_SECONDS": _int("SYNC_BACKOFF_BASE_SECONDS", 30),
        "SYNC_BACKOFF_MAX_SECONDS": _int("SYNC_BACKOFF_MAX_SECONDS", 3600),
        "SYNC_LEASE_SECONDS": _int("SYNC_LEASE_SECONDS", 300),
        # Backups (`flask backup …`; `python app.py` makes one a day at BACKUP_HOUR local time, keeping BACKUP_KEEP).
        "BACKUP_DIR": os.environ.get("BACKUP_DIR") or str(Path(instance_path) / "backups"),
        "BACKUP_KEEP": _int("BACKUP_KEEP", 14),
        "BACKUP_HOUR": _int("BACKUP_HOUR", 23),
        # `python app.py` seeds demo logins only on a loopback HOST, and never with DEMO=0.
        "DEMO": os.environ.get("DEMO", "1").strip().lower() not in ("0", "false", "no", "off"),
        "SANDBOX_MODE": os.environ.get("SANDBOX_MODE", "") == "1",
        # National e-prescription system (app-name/app-key are issued to the vendor; the key is never logged).
        "ERX_URL": os.environ.get("ERX_URL"),
        "ERX_APP_NAME": os.environ.get("ERX_APP_NAME", ""),
        "ERX_APP_KEY": os.environ.get("ERX_APP_KEY", ""),
        "ERX_TIMEOUT_SECONDS": _int("ERX_TIMEOUT_SECONDS", 8),
        "PRESCRIPTION_VALIDITY_DAYS": _int("PRESCRIPTION_VALIDITY_DAYS", 5),
        # Health Data Coordination System (FHIR R4, OAuth2 client credentials); a deployment may turn it off.
        "HEALTH_DATA_ENABLED": os.environ.get("HEALTH_DATA_ENABLED", "1") not in ("0", "false", "no", "off"),
        "HEALTH_DATA_URL": os.environ.get("HEALTH_DATA_URL"),
        "HEALTH_DATA_TOKEN_URL": os.environ.get("HEALTH_DATA_TOKEN_URL"),
        "HEALTH_DATA_CLIENT_ID": os.environ.get("HEALTH_DATA_CLIENT_ID", ""),
        "HEALTH_DATA_CLIENT_SECRET": os.environ.get("HEALTH_DATA_CLIENT_SECRET", ""),
    }


def normalize_database_url(url: str) -> str:
    """Use psycopg 3 explicitly for PostgreSQL URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
