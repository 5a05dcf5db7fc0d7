"""`flask --app app audit verify [--store CODE]`: recompute the hash chains; exit 1 naming the first document
altered, deleted or inserted."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from .audit.verification import chain_name
from .audit_trail import verify_journal
from .extensions import db

audit_cli = AppGroup("audit", help="The audit trail and the tamper-evident journal.")


@audit_cli.command("verify")
@click.option("--store", "store_code", default=None, help="Only this store's chain.")
def verify_command(store_code):
    """Recompute every chain against the documents, the head rows and the head file beside the backups."""
    from .stores.services import store_by_code

    store_ids = None
    if store_code is not None:
        store = store_by_code(db.session, store_code)
        if store is None:
            raise click.ClickException(f"unknown store code {store_code}")
        store_ids = [store.id]
    reports, run = verify_journal(store_ids)
    for report in reports:
        name = chain_name(db.session, report.store_id)
        if report.finding is None:
            click.echo(f"{name}: {report.entries} entries OK")
        else:
            finding = report.finding
            click.echo(f"{name}: {finding.problem.upper()} {finding.document} — {finding.detail}", err=True)
    if not run.ok:
        raise SystemExit(1)
    click.echo(f"verified {run.entries} entries in {len(reports)} chain(s)")
