"""`flask --app app audit verify [--store CODE] [--head CODE:SEQ[:NUMBER]:HASH …]`: recompute the hash chains;
exit 1 naming the first document altered, deleted or inserted."""
from __future__ import annotations

import re

import click
from flask.cli import AppGroup

from .audit.verification import PrintedHead, chain_name
from .audit_trail import verify_journal
from .extensions import db

audit_cli = AppGroup("audit", help="The audit trail and the tamper-evident journal.")
HASH = re.compile(r"[0-9a-f]{8,64}")


def _store_id(code: str, option: str) -> int:
    from .stores.services import store_by_code

    store = store_by_code(db.session, code)
    if store is None:
        raise click.BadParameter(f"unknown store code {code}", param_hint=option)
    return store.id


def printed_heads(values: tuple[str, ...]) -> dict[int, list[PrintedHead]]:
    """`CODE:SEQ:HASH` or `CODE:SEQ:NUMBER:HASH` (as a day report prints it) -> store id -> heads."""
    heads: dict[int, list[PrintedHead]] = {}
    for value in values:
        parts = value.strip().split(":")
        digest = parts[-1].lower() if len(parts) >= 3 else ""
        if len(parts) < 3 or not parts[1].isdigit() or int(parts[1]) < 1 or not HASH.fullmatch(digest):
            raise click.BadParameter(f"{value!r}: expected STORE_CODE:SEQ[:NUMBER]:HASH (the hash: 8 to 64 hex "
                                     "digits, as printed on the day report)", param_hint="--head")
        heads.setdefault(_store_id(parts[0], "--head"), []).append(
            PrintedHead(int(parts[1]), digest, ":".join(parts[2:-1])))
    return heads


@audit_cli.command("verify")
@click.option("--store", "store_code", default=None, help="Only this store's chain.")
@click.option("--head", "heads", multiple=True, metavar="CODE:SEQ[:NUMBER]:HASH",
              help="A chain head copied from a printed day report (repeatable): the newest entries deleted show even "
                   "when the head file beside the backups is lost too.")
def verify_command(store_code, heads):
    """Recompute every chain against the documents, the head rows, the head file beside the backups and the heads
    copied from printed day reports."""
    store_ids = None if store_code is None else [_store_id(store_code, "--store")]
    printed = printed_heads(heads)
    if store_ids is not None:
        store_ids += sorted(set(printed) - set(store_ids))
    reports, run = verify_journal(store_ids, printed)
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
