"""`flask --app app backup create [PATH] | verify PATH | restore PATH [--force]`."""
from __future__ import annotations

import contextlib
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from .audit_trail import verify_journal
from .backup.after_restore import mark_unfinished_outcome_unknown
from .backup.manifest import Manifest
from .backup.services import create_backup, prune, restore_backup, verify_backup
from .cli import _fail
from .clock import utcnow
from .errors import DomainError
from .extensions import db

backup_cli = AppGroup("backup", help="Back up, verify and restore the database.")


def backup_directory() -> Path:
    return Path(current_app.config.get("BACKUP_DIR") or Path(current_app.instance_path) / "backups")


@contextlib.contextmanager
def _reported():
    """A refusal or failure becomes a one-line message and exit status 1, with nothing committed."""
    try:
        yield
    except DomainError as error:
        _fail(error)


def _summary(manifest: Manifest) -> str:
    counts = manifest.row_counts
    shown = ", ".join(f"{name} {counts[name]}" for name in ("sales", "movements", "stock_lots", "outbox_messages",
                                                            "users") if name in counts)
    return f"schema {manifest.revision}, latest change {manifest.latest_change or '—'}; rows: {shown}"


@backup_cli.command("create")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
def create_command(path):
    """Back up the database while the shop keeps selling (default: BACKUP_DIR/pharmacy-<time>)."""
    with _reported():
        target, manifest = create_backup(db.engine, path, directory=backup_directory(), now=utcnow())
    click.echo(f"backup written: {target}\n{_summary(manifest)}")


@backup_cli.command("verify")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def verify_command(path):
    """Open a backup, check its integrity and count its rows."""
    with _reported():
        manifest = verify_backup(path, now=utcnow())
    click.echo(f"backup OK: {path}\n{_summary(manifest)}")


@backup_cli.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Restore even though the database has newer changes.")
def restore_command(path, force):
    """Replace the database by a backup (stop the app first); unsent outbox messages become outcome-unknown."""
    with _reported():
        manifest = restore_backup(db.engine, path, force=force, now=utcnow(), safety_directory=backup_directory())
        flagged = mark_unfinished_outcome_unknown(db.session, now=utcnow())
        db.session.commit()
    click.echo(f"restored {path}\n{_summary(manifest)}\n{flagged} unsent national messages will be checked "
               "before any resend.\nRun `flask --app app db upgrade` if this version is newer than the backup.")


def scheduled_backup(app) -> Path | None:
    """The daily job: a backup into BACKUP_DIR, then only the newest BACKUP_KEEP scheduled ones are kept; the
    journal's chains are verified too (the dashboard shows the outcome)."""
    with app.app_context():
        target, _manifest = create_backup(db.engine, None, directory=backup_directory(), now=utcnow())
        prune(backup_directory(), app.config["BACKUP_KEEP"])
        verify_journal()
        return target


BACKUP_JOB_ID = "backup.daily"


def schedule_daily_backup(scheduler, app) -> bool:
    """Add the daily backup to the in-process scheduler (python app.py); BACKUP_KEEP=0 turns it off."""
    if app.config["BACKUP_KEEP"] <= 0:
        return False
    scheduler.add_job(scheduled_backup, "cron", hour=app.config["BACKUP_HOUR"], minute=0, args=[app],
                      id=BACKUP_JOB_ID, name=BACKUP_JOB_ID, coalesce=True, max_instances=1,
                      misfire_grace_time=3600, replace_existing=True)
    return True
