"""`flask --app app books export --store CODE --from D --to D PATH.zip` and
`flask --app app retention purge --before DATE [--archive-dir DIR] [--dry-run]`."""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from .audit.models import Purge, PurgedRange
from .audit.witness import append_purge
from .audit_trail import witness_path
from .books.ledger_purge import archived_rows, purge_ledger
from .books.retention import add_years, execute_purge, plan_purge
from .books.rules import BookRules
from .cli import _fail
from .clock import local_day_bounds, local_today, utcnow
from .errors import DomainError
from .extensions import db
from .presenters.book_archive import archive_name, books_zip
from .presenters.books import BookContext
from .reports.period import Period
from .stores.models import Store, User

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
@click.option("--before", required=True, help="Delete records dated before this day, YYYY-MM-DD.")
@click.option("--archive-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where the archive ZIPs go (default: BACKUP_DIR/archives).")
@click.option("--dry-run", is_flag=True, help="Only say what would be archived, deleted and kept.")
def purge_command(before: str, archive_dir: Path | None, dry_run: bool):
    """Archive (the books export ZIP of each store, from its oldest purged record to the day before DATE), then delete
    the register entries and ledger documents dated before DATE — except those of a lot that expired less than 1 year
    ago (2 years for a controlled drug) and ledger documents with anything outstanding (pharmacy/books/ledger_plan.py).
    Stock and every book from DATE on stay the same (an opening carry-forward per lot); `audit verify` accepts the
    purged documents' absence. DATE may be a year ago at the latest."""
    cutoff, today = _day(before), local_today()
    if cutoff > add_years(today, -1):
        raise click.BadParameter(f"must be {add_years(today, -1)} or earlier: nothing younger than a year is purged",
                                 param_hint="--before")
    plan = plan_purge(db.session, before=cutoff, today=today)
    for table, kept in plan.kept.items():
        for row_id, why in kept:
            click.echo(f"kept {table} #{row_id}: {why}")
    for label, why in plan.ledger.kept:
        click.echo(f"kept {label}: {why}")
    if dry_run or plan.total == 0:
        click.echo(f"{plan.total} entries {'would be ' if dry_run else ''}deleted")
        db.session.rollback()
        return
    archives = _write_archives(plan, cutoff, archive_dir)
    owner = db.session.scalar(select(User.id).where(User.role == "owner").order_by(User.id).limit(1))
    deleted = execute_purge(db.session, plan) + len(plan.ledger.groups)
    now = utcnow()  # the purge record keeps the archives' SHA-256 even when only register entries go
    purge = purge_ledger(db.session, plan.ledger, before=cutoff, cutoff=local_day_bounds(cutoff), now=now,
                         actor_id=owner, archives=archives)
    _witness(purge, now)
    db.session.commit()
    click.echo(f"{deleted} entries deleted")


def _witness(purge: Purge, now) -> None:
    """The purged chain ranges, also written to the head file outside the database (before the commit: a range
    written there but never committed excuses nothing); when that fails, nothing is deleted."""
    path = witness_path()
    ranges = db.session.execute(select(PurgedRange.store_id, PurgedRange.seq_from, PurgedRange.seq_to)
                                .where(PurgedRange.purge_id == purge.id).order_by(PurgedRange.id)).all()
    if path is None or not ranges:
        return
    try:
        append_purge(path, purge.id, [tuple(row) for row in ranges], now)
    except OSError as error:
        db.session.rollback()
        raise click.ClickException(f"the head file {path} could not be written ({error}): nothing was deleted"
                                   ) from None


def _new_file(path: Path) -> Path:
    """`path`, or `<stem>-2.zip`, `-3` … when an earlier purge already wrote that name."""
    found, number = path, 1
    while found.exists():
        number += 1
        found = path.with_name(f"{path.stem}-{number}{path.suffix}")
    return found


def _write_archives(plan, cutoff, archive_dir: Path | None) -> list[dict]:
    """Every store's ZIP, written in full before anything is deleted; on any failure the ones written are removed
    and the command stops with nothing deleted."""
    folder = archive_dir or Path(current_app.config["BACKUP_DIR"]) / "archives"
    period = Period(plan.first_day, cutoff - timedelta(days=1))
    written: list[Path] = []
    archives = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for store in db.session.scalars(select(Store).where(Store.id.in_(plan.store_ids)).order_by(Store.code)):
            ctx = _context(store, period)
            data = books_zip(ctx, archived_rows(db.session, plan.ledger, store.id))
            target = _new_file(folder / archive_name(ctx).replace("so-sach_", "luu-tru_"))
            written.append(target)
            with target.open("xb") as out:  # never over an earlier archive: it may hold documents long deleted
                out.write(data)
            digest = hashlib.sha256(data).hexdigest()
            archives.append({"file": target.name, "store": store.code, "sha256": digest})
            click.echo(f"archived {target} (SHA-256 {digest})")
    except OSError as error:
        db.session.rollback()
        for path in written:
            path.unlink(missing_ok=True)
        raise click.ClickException(f"the archive could not be written ({error}): nothing was deleted") from None
    return archives
