"""The app's settings: every environment variable is read here, once, into one typed object, one default each.

The factory builds `Settings.from_environment()` and copies it into `app.config` under the plain environment names
(plus Flask's own names for the database URL and the UI language); code reads `app.config`, or `setting()` when
the config may be a bare mapping, so a value's default is written only in the table below.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FALSE_WORDS = ("0", "false", "no", "off")


@dataclass(frozen=True)
class Settings:
    """One field per environment variable (its name upper-cased); the default is the value when unset."""

    instance_path: str = str(PROJECT_ROOT / "instance")
    database_url: str = ""            # empty: a SQLite file in the instance folder
    secret_key: str | None = None     # unset: `python app.py` / `flask init` keep one in the instance folder
    credentials_key: str | None = None
    host: str = "127.0.0.1"           # python app.py listens here
    port: int = 5000
    ui_locale: str = "vi"
    max_content_length: int = 1024 * 1024
    # HTTPS deployments (see README): cookies only over HTTPS; trust this many reverse proxies' X-Forwarded-*.
    session_cookie_secure: bool = False
    trusted_proxies: int = 0
    api_token_max_age_seconds: int = 12 * 3600
    near_expiry_days: int = 90
    login_max_failures: int = 5
    # Sign-in throttling per (username, client address): free attempts, then a delay doubling up to the maximum.
    login_lock_seconds: int = 30
    login_max_lock_seconds: int = 900
    scan_separators: str = ""         # printable stand-ins the shop's scanners send for GS
    sandbox_mode: bool = False
    # `python app.py` seeds demo logins only on a loopback HOST, and never with DEMO=0.
    demo: bool = True
    # Backups (`flask backup …`; `python app.py` makes one a day at BACKUP_HOUR local time, keeping BACKUP_KEEP).
    backup_dir: str = ""              # empty: instance/backups
    backup_keep: int = 14
    backup_hour: int = 23
    national_drug_db_url: str | None = None
    csdl_duoc_url: str | None = None
    sync_concurrency: int = 4
    sync_batch_size: int = 0          # 0: twice the concurrency
    sync_lease_seconds: float = 300.0
    sync_backoff_base_seconds: float = 30.0
    sync_backoff_max_seconds: float = 3600.0
    sync_interval_seconds: int = 60
    catalog_sync_interval_seconds: int = 6 * 3600   # CSDL Dược v2 master drugs, incremental
    sync_connect_timeout: float = 3.05
    sync_read_timeout: float = 30.0
    # National e-prescription system (app-name/app-key are issued to the vendor; the key is never logged).
    erx_url: str | None = None
    erx_app_name: str = ""
    erx_app_key: str = ""
    erx_timeout_seconds: float = 8.0
    prescription_validity_days: int = 5
    # Health Data Coordination System (FHIR R4, OAuth2 client credentials); a deployment may turn it off.
    health_data_enabled: bool = True
    health_data_url: str | None = None
    health_data_token_url: str | None = None
    health_data_client_id: str = ""
    health_data_client_secret: str = ""
    # Tax e-invoices: EINVOICE_URL overrides the Viettel SInvoice base URL; `python app.py` serves the sandbox
    # provider and sets the EINVOICE_SANDBOX_* settings (stores whose provider is "sandbox" use it).
    einvoice_url: str | None = None
    einvoice_sandbox_url: str | None = None
    einvoice_sandbox_username: str = ""
    einvoice_sandbox_password: str = ""
    # The bank feed's webhook (POST /api/v1/payments/bank-notifications) sends `Authorization: Apikey <this>`.
    bank_webhook_key: str | None = None
    # GPP books (compliance.md §1): a day's entries lock at BOOK_LOCK_HOUR local time the next day; two climate
    # readings a day per storage area at CLIMATE_SLOTS (local HH:MM), room limits 15–30 °C and ≤ 75 %RH.
    book_lock_hour: int = 2
    climate_slots: str = "09:00,15:00"
    climate_temperature_min: float = 15.0
    climate_temperature_max: float = 30.0
    climate_humidity_max: float = 75.0
    climate_areas: str = "Kho chính"

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The settings the environment gives; a value that does not parse is refused with its name."""
        environ = os.environ if environ is None else environ
        values = {}
        for spec in fields(cls):
            raw = environ.get(spec.name.upper())
            if raw not in (None, ""):
                values[spec.name] = _parse(spec.name.upper(), raw, spec.type)
        return cls(**values)

    def as_config(self) -> dict:
        """Flask config keys: the environment names, SQLALCHEMY_DATABASE_URI and BABEL_DEFAULT_LOCALE."""
        config = {spec.name.upper(): getattr(self, spec.name) for spec in fields(self)}
        default_db = "sqlite:///" + str(Path(self.instance_path) / "pharmacy.db")
        config["SQLALCHEMY_DATABASE_URI"] = normalize_database_url(config.pop("DATABASE_URL") or default_db)
        config["BABEL_DEFAULT_LOCALE"] = config.pop("UI_LOCALE")
        config["REMEMBER_COOKIE_SECURE"] = self.session_cookie_secure
        config["BACKUP_DIR"] = self.backup_dir or str(Path(self.instance_path) / "backups")
        for name in ("INSTANCE_PATH", "HOST", "PORT"):
            config.pop(name)
        return config


def _parse(name: str, raw: str, kind: str):
    try:
        if kind == "bool":
            return raw.strip().lower() not in FALSE_WORDS
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a{'n integer' if kind == 'int' else ' number'}, not {raw!r}") from None
    return raw


DEFAULTS = {spec.name.upper(): spec.default for spec in fields(Settings)}


def setting(config: Mapping, name: str):
    """`config[name]` when set (typed like its default), else the default: for code handed a bare mapping."""
    default = DEFAULTS[name]
    value = config.get(name)
    if value in (None, ""):
        return default
    if isinstance(default, bool):
        return value if isinstance(value, bool) else str(value).strip().lower() not in FALSE_WORDS
    return type(default)(value) if default is not None else value


def normalize_database_url(url: str) -> str:
    """Use psycopg 3 explicitly for PostgreSQL URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
