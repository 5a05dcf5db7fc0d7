"""`flask --app app books export --store CODE --from D --to D PATH.zip` and
`flask --app app retention purge --before DATE [--archive-dir DIR] [--dry-run]`."""
from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from .books.retention import add_years, execute_purge, plan_purge
from .books.rules import BookRules
from .cli import _fail
from .clock import local_today, utcnow
from .errors import DomainError
from .extensions import db
from .presenters.book_archive import archive_name, books_zip
from .presenters.books import BookContext
from .reports.period import Period
from .stores.models import Store

books_cli = AppGroup("books", help="The GPP record books.")
retention_cli = AppGroup("retention", help="Archive and delete records past their retention period.")


def _day(value: str):
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date YYYY-MM-DD") from None


def _context(store: Store, period: Period) -> BookContext:
    return BookContext(store, period, utcnow(), BookRules.from_config(current_app.config))


@books_cli.command("export")
@click.option("--store", "code", required=True, help="The store's code.")
@click.option("--from", "date_from", required=True, help="First local day, YYYY-MM-DD.")
@click.option("--to", "date_to", required=True, help="Last local day, YYYY-MM-DD.")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def export_command(code: str, date_from: str, date_to: str, path: Path):
    """Every book as Excel and the raw documents as CSV, in one ZIP (full data extraction on request)."""
    store = db.session.scalar(select(Store).where(Store.code == code))
    if store is None:
        raise click.ClickException(f"no store with code {code!r}")
    try:
        period = Period.of(_day(date_from), _day(date_to))
    except DomainError as error:
        _fail(error)
    path.write_bytes(books_zip(_context(store, period)))
    click.echo(f"{path}: books and documents of {store.code}, {period.date_from} – {period.date_to}")


@retention_cli.command("purge")
@click.option("--before", required=True, help="Delete register entries dated before this day, YYYY-MM-DD.")
@click.option("--archive-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where the archive ZIPs go (default: BACKUP_DIR/archives).")
@click.option("--dry-run", is_flag=True, help="Only say what would be archived, deleted and kept.")
def purge_command(before: str, archive_dir: Path | None, dry_run: bool):
    """Archive (the books export ZIP of each store, from its oldest purged entry to the day before DATE), then delete
    the quality-check, climate, complaint and adverse-reaction entries dated before DATE — except those of a lot that
    expired less than 1 year ago (2 years for a controlled drug). DATE may be a year ago at the latest. Ledger
    documents are not deleted."""
    cutoff, today = _day(before), local_today()
    if cutoff > add_years(today, -1):
        raise click.BadParameter(f"must be {add_years(today, -1)} or earlier: nothing younger than a year is purged",
                                 param_hint="--before")
    plan = plan_purge(db.session, before=cutoff, today=today)
    for table, kept in plan.kept.items():
        for row_id, why in kept:
            click.echo(f"kept {table} #{row_id}: {why}")
    if dry_run or plan.total == 0:
        click.echo(f"{plan.total} entries {'would be ' if dry_run else ''}deleted")
        db.session.rollback()
        return
    folder = archive_dir or Path(current_app.config["BACKUP_DIR"]) / "archives"
    folder.mkdir(parents=True, exist_ok=True)
    period = Period(plan.first_day, cutoff - timedelta(days=1))
    for store in db.session.scalars(select(Store).where(Store.id.in_(plan.store_ids)).order_by(Store.code)):
        ctx = _context(store, period)
        target = folder / archive_name(ctx).replace("so-sach_", "luu-tru_")
        target.write_bytes(books_zip(ctx))
        click.echo(f"archived {target}")
    deleted = execute_purge(db.session, plan)
    db.session.commit()
    click.echo(f"{deleted} entries deleted")
