"""The one-command demo's national sandboxes, told every store's national account (the bridge reads the stores;
the simulators themselves live in connectors/sandboxes/ and never ship to a real pharmacy's sync)."""
from __future__ import annotations

from sqlalchemy import select

from connectors.sandboxes.csdl_duoc.simulator import create_sandbox as create_v2_sandbox
from connectors.sandboxes.demo import LatencyMiddleware, serve_for_accounts, start_prescription_sandboxes
from connectors.sandboxes.kit import ServedApp
from connectors.sandboxes.nationaldb.simulator import create_sandbox
from pharmacy.extensions import db
from pharmacy.stores.models import Store

__all__ = ["sandbox_accounts", "start_demo_sandbox", "start_demo_v2_sandbox", "start_prescription_sandboxes",
           "start_sync_targets"]
ADDRESSES = ("NATIONAL_DRUG_DB_URL", "CSDL_DUOC_URL", "ERX_URL", "HEALTH_DATA_URL")


def sandbox_accounts(session, vault) -> dict[str, tuple[str, str]]:
    """username -> (password, facility code) for every store with a national account."""
    accounts = {}
    for store in session.execute(select(Store)).scalars():
        if store.national_username and store.national_password_encrypted:
            accounts[store.national_username] = (vault.decrypt(store.national_password_encrypted),
                                                 store.national_facility_code)
    return accounts


def _accounts(app) -> dict[str, tuple[str, str]]:
    with app.app_context():
        accounts = sandbox_accounts(db.session, app.extensions["pharmacy.vault"]())
        db.session.rollback()
    return accounts


def start_demo_sandbox(app, latency: float = 0.0) -> ServedApp:
    """The legacy national drug database simulator on loopback (optionally slowed down); points the app at it."""
    return serve_for_accounts(app.config, create_sandbox, _accounts(app), "NATIONAL_DRUG_DB_URL",
                              "national drug database", wrap=lambda simulator: LatencyMiddleware(simulator, latency))


def start_demo_v2_sandbox(app) -> ServedApp:
    """The CSDL Dược v2 simulator (sample catalogue as master drugs) for every store account, so a store can be
    switched to v2 while the demo runs; points CSDL_DUOC_URL at it."""
    return serve_for_accounts(app.config, create_v2_sandbox, _accounts(app), "CSDL_DUOC_URL", "CSDL Dược v2")


def start_sync_targets(app) -> list[str]:
    """`python app.py`: with no national address configured at all, serve every simulator (SANDBOX MODE); with real
    addresses, never a simulator beside them (a document "sent" to one would be lost), and name the missing ones."""
    from .runner import SyncRunner

    if not any(app.config.get(name) for name in ADDRESSES):
        lines = [f"sandbox national drug database at {start_demo_sandbox(app).url} (SANDBOX MODE)",
                 f"sandbox CSDL Dược v2 at {start_demo_v2_sandbox(app).url} (SANDBOX MODE)"]
        return lines + start_prescription_sandboxes(app)
    runner = SyncRunner.from_app(app)
    try:
        missing = runner.unconfigured()
    finally:
        runner.close()
    return [f"sync {lane}: not configured ({', '.join(names)}): its messages wait as held"
            for lane, names in missing.items()]
