"""`flask --app app sync run` (one pass, prints counts) and `sync worker` (the scheduler as its own process)."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

sync_cli = AppGroup("sync", help="Send outbox messages to the national drug database.")


@sync_cli.command("run")
@with_appcontext
def run_command():
    """Do one sync pass now and print the counts per outcome and per status."""
    from connectors.sync.runner import run_pass
    from connectors.sync.services import summary

    from .clock import utcnow
    from .extensions import db

    result = run_pass(current_app._get_current_object())
    click.echo(result.describe())
    for entry in summary(db.session, None, utcnow()):
        counts = " ".join(f"{status}={count}" for status, count in entry["counts"].items() if count)
        click.echo(f"store {entry['store_id']}: {counts}")
    db.session.rollback()


@sync_cli.command("worker")
@with_appcontext
def worker_command():
    """Run the sync schedule in this process until stopped (one or more workers are safe together)."""
    from apscheduler.schedulers.blocking import BlockingScheduler

    from connectors.sync.scheduler import build_scheduler

    from .logging_setup import configure_logging

    configure_logging()
    scheduler = build_scheduler(current_app._get_current_object(), BlockingScheduler)
    click.echo("sync worker started", err=True)
    try:
        scheduler.start()
    finally:
        scheduler.sync_service.close()
