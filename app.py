"""One-command start: `python app.py` migrates, seeds demo data on a new database, and serves the app.

Settings come from environment variables (see README): DATABASE_URL, SECRET_KEY, CREDENTIALS_KEY, HOST, PORT, …
"""
from __future__ import annotations

import os

from dotenv import load_dotenv

load_dotenv()

from pharmacy import create_app  # noqa: E402

app = create_app()


def main() -> None:
    from flask_migrate import upgrade
    from waitress import serve

    from pharmacy.demo import first_start
    from pharmacy.extensions import db

    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    with app.app_context():
        upgrade()
        banner = first_start(db.session, host=host, port=port, demo=app.config["DEMO"],
                             vault=app.extensions["pharmacy.vault"](), config=app.config)
        db.session.commit()
        print(banner, flush=True)
    start_sync(app)
    print(f"pharmacy-pos is running at http://{host}:{port}/  (API docs: /api/docs)", flush=True)
    serve(app, host=host, port=port, threads=8)


def start_sync(flask_app) -> None:
    """The national sandbox on loopback when no national address is configured, then the in-process scheduler."""
    from connectors.sync.sandbox_demo import start_demo_sandbox, start_demo_v2_sandbox
    from connectors.sync.prescription_sandbox import start_prescription_sandboxes
    from connectors.sync.scheduler import start_in_process

    if not flask_app.config.get("NATIONAL_DRUG_DB_URL"):
        sandbox = start_demo_sandbox(flask_app)
        print(f"sandbox national drug database at {sandbox.url} (SANDBOX MODE)", flush=True)
    if not flask_app.config.get("CSDL_DUOC_URL"):
        v2_sandbox = start_demo_v2_sandbox(flask_app)
        print(f"sandbox CSDL Dược v2 at {v2_sandbox.url} (SANDBOX MODE)", flush=True)
    for line in start_prescription_sandboxes(flask_app):
        print(line, flush=True)
    from pharmacy.cli_backup import schedule_daily_backup

    schedule_daily_backup(start_in_process(flask_app), flask_app)


if __name__ == "__main__":
    main()
