"""`flask --app app sync run` (one pass, prints counts) and `sync worker` (the scheduler as its own process)."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

sync_cli = AppGroup("sync", help="Send outbox messages to the national systems.")


def _fail(error: Exception) -> None:
    """One readable line instead of a traceback (the outbox keeps every message: nothing is lost)."""
    raise click.ClickException(f"sync failed: {type(error).__name__}: {error}")


@sync_cli.command("run")
@with_appcontext
def run_command():
    """Do one sync pass now and print the counts per outcome and per status."""
    from connectors.sync.runner import run_pass

    from .clock import utcnow
    from .extensions import db
    from .outbox.queries import summary
    from .stores.models import Store

    try:
        result = run_pass(current_app._get_current_object())
    except Exception as error:  # noqa: BLE001 - the CLI's edge: say it in one line
        _fail(error)
    click.echo(result.describe())
    codes = dict(db.session.execute(db.select(Store.id, Store.code)).all())
    for entry in summary(db.session, None, utcnow()):
        counts = " ".join(f"{status}={count}" for status, count in entry["counts"].items() if count)
        click.echo(f"store {codes.get(entry['store_id'], entry['store_id'])}: {counts}")
    db.session.rollback()


@sync_cli.command("worker")
@with_appcontext
def worker_command():
    """Run the sync schedule in this process until stopped (one or more workers are safe together)."""
    from apscheduler.schedulers.blocking import BlockingScheduler

    from connectors.sync.scheduler import build_scheduler

    from .logging_setup import configure_logging

    configure_logging()
    try:
        scheduler = build_scheduler(current_app._get_current_object(), BlockingScheduler)
    except Exception as error:  # noqa: BLE001 - the CLI's edge: say it in one line
        _fail(error)
    click.echo("sync worker started", err=True)
    for line in scheduler.sync_service.unconfigured_lines():
        click.echo(line, err=True)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        scheduler.sync_service.close()
