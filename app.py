"""One-command start: `python app.py` makes the instance secrets, migrates, seeds demo data on a new database,
and serves the app. gunicorn serves `app:app` (make the secrets first: `flask --app app init`).

Settings come from environment variables (see README): DATABASE_URL, SECRET_KEY, CREDENTIALS_KEY, HOST, PORT, …
"""
from __future__ import annotations

from dotenv import load_dotenv

load_dotenv()

from pharmacy import create_app, init_instance  # noqa: E402
from pharmacy.logging_setup import configure_logging  # noqa: E402

configure_logging()
MADE: list[str] = []
if __name__ == "__main__":  # the one-command start makes the instance secrets before the app reads them
    from pharmacy.config import Settings
    from pharmacy.instance import make_secrets

    _given = Settings.from_environment()
    MADE = make_secrets(_given.instance_path, {"SECRET_KEY": _given.secret_key,
                                               "CREDENTIALS_KEY": _given.credentials_key})
app = create_app()


def main() -> None:
    from flask_migrate import upgrade
    from waitress import serve

    from pharmacy.demo import first_start
    from pharmacy.extensions import db

    settings = app.extensions["pharmacy.settings"]
    for path in MADE + init_instance(app):
        print(f"made {path}", flush=True)
    with app.app_context():
        upgrade()
        banner = first_start(db.session, host=settings.host, port=settings.port, demo=app.config["DEMO"],
                             vault=app.extensions["pharmacy.vault"](), config=app.config)
        db.session.commit()
        print(banner, flush=True)
    start_sync(app)
    print(f"pharmacy-pos is running at http://{settings.host}:{settings.port}/  (API docs: /api/docs)", flush=True)
    serve(app, host=settings.host, port=settings.port, threads=8)


def start_sync(flask_app) -> None:
    """The national sandboxes on loopback when no national address is configured at all (the demo), then the
    in-process scheduler; a lane whose address is missing beside real ones holds its messages and says so."""
    from connectors.sync.demo import start_sync_targets
    from connectors.sync.demo_einvoice import start_einvoice_sandbox
    from connectors.sync.scheduler import start_in_process
    from pharmacy.cli_backup import schedule_daily_backup

    for line in start_sync_targets(flask_app) + start_einvoice_sandbox(flask_app):
        print(line, flush=True)
    schedule_daily_backup(start_in_process(flask_app), flask_app)


if __name__ == "__main__":
    main()
