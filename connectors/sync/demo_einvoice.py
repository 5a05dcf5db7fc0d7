"""`python app.py`: the sandbox e-invoice provider on loopback (stores whose provider is "sandbox" use it at once,
no restart), and e-invoices turned on for the demo store the first time."""
from __future__ import annotations

import secrets

from sqlalchemy import select

from connectors.einvoice.providers import SANDBOX_PASSWORD, SANDBOX_URL, SANDBOX_USER
from connectors.sandboxes.einvoice.simulator import create_sandbox
from connectors.sandboxes.kit import ServedApp
from pharmacy.extensions import db
from pharmacy.stores.models import Store
from pharmacy.stores.services import save_store

DEMO_EINVOICE = {"einvoice_provider": "sandbox", "seller_tax_code": "0312345678", "einvoice_template": "1",
                 "einvoice_symbol": "C26MAA", "einvoice_authority_code": "43836", "einvoice_rules": "decree-70-2025"}


def start_einvoice_sandbox(app) -> list[str]:
    """Serve the sandbox provider unless one is configured; turn e-invoices on for the demo store (CH01) when it
    has never been set up (an owner who turned them off keeps them off)."""
    config, lines = app.config, []
    if not config.get(SANDBOX_URL):
        username, password = "sandbox-demo", secrets.token_urlsafe(12)
        served = ServedApp(create_sandbox({username: password}))
        config.update({SANDBOX_URL: served.url, SANDBOX_USER: username, SANDBOX_PASSWORD: password})
        lines.append(f"sandbox e-invoice provider at {served.url} (SANDBOX MODE)")
    if config.get("DEMO"):
        with app.app_context():
            store = db.session.execute(select(Store).where(Store.code == "CH01")).scalar_one_or_none()
            if store is not None and store.einvoice_provider is None and not store.seller_tax_code:
                save_store(db.session, DEMO_EINVOICE, app.extensions["pharmacy.vault"](), store)
                lines.append(f"e-invoices on for the demo store {store.code} through the sandbox provider")
            db.session.commit()
    return lines
