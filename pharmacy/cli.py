"""Command-line interface: `flask --app app init`, `users create …`, `catalog import FILE`, `demo`."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext

from .errors import DomainError
from .extensions import db

users_cli = AppGroup("users", help="Manage users.")
catalog_cli = AppGroup("catalog", help="The drug catalogue.")


def _fail(error: DomainError) -> None:
    db.session.rollback()
    fields = "; ".join(f"{key}: {' '.join(map(str, value))}" for key, value in error.errors.items())
    raise click.ClickException(f"{error.message}{' (' + fields + ')' if fields else ''}")


@users_cli.command("create")
@click.argument("username")
@click.option("--password", required=True, help="At least 8 characters.")
@click.option("--role", type=click.Choice(["owner", "pharmacist"]), required=True)
@click.option("--store", "store_codes", multiple=True, help="Store code (repeat for several).")
@click.option("--full-name", default="")
def create_user_command(username, password, role, store_codes, full_name):
    """Create a user."""
    from .stores.services import create_user, store_by_code

    try:
        store_ids = []
        for code in store_codes:
            store = store_by_code(db.session, code)
            if store is None:
                raise click.ClickException(f"unknown store code {code}")
            store_ids.append(store.id)
        user = create_user(db.session, username=username, password=password, role=role,
                           full_name=full_name, store_ids=store_ids)
        db.session.commit()
    except DomainError as error:
        _fail(error)
    click.echo(f"created {user.role} {user.username}")


@users_cli.command("password")
@click.argument("username")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True, help="At least 8 characters.")
def set_password_command(username, password):
    """Set a user's password (e.g. a forgotten owner's); their sessions and tokens end."""
    from .auth.passwords import set_password_from_console

    try:
        set_password_from_console(db.session, username=username, new_password=password)
        db.session.commit()
    except DomainError as error:
        _fail(error)
    click.echo(f"password set for {username}; their other sessions have ended")


@catalog_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_catalog_command(path):
    """Import or refresh products from a catalogue CSV (re-import updates, never duplicates)."""
    from .catalog.importer import import_catalog
    from .catalog.search import analyze_catalogue

    with open(path, "rb") as stream:  # decoded line by line: bytes that are not UTF-8 are named by line
        try:
            report = import_catalog(db.session, stream)
            db.session.commit()
        except DomainError as error:
            _fail(error)
    analyze_catalogue(db.session)  # fresh statistics, so searches keep their index plans
    click.echo(report.summary())


@catalog_cli.command("sync-national")
@click.option("--store", "store_code", required=True, help="Code of a store with a CSDL Dược v2 account.")
@click.option("--full", is_flag=True, help="Read the whole catalogue, not only what changed since the last run.")
def sync_national_command(store_code, full):
    """Import and refresh products from the CSDL Dược v2 master drug list (CSDL_DUOC_URL), then list the changes."""
    from flask import current_app

    from connectors.http_errors import ConnectorError
    from connectors.sync.lanes.v2.catalog import sync_catalog

    from .catalog.search import analyze_catalogue
    from .clock import utcnow
    from .stores.services import store_by_code

    store = store_by_code(db.session, store_code)
    if store is None:
        raise click.ClickException(f"unknown store code {store_code}")
    try:
        report = sync_catalog(db.session, base_url=current_app.config.get("CSDL_DUOC_URL"), store=store, full=full,
                              vault=current_app.extensions["pharmacy.vault"](), now=utcnow())
        db.session.commit()
    except DomainError as error:
        _fail(error)
    except ConnectorError as error:  # nothing was written: the next run reads the same window again
        db.session.rollback()
        raise click.ClickException(error.message) from error
    analyze_catalogue(db.session)
    click.echo("\n".join(report.lines()))


@click.command("init")
@with_appcontext
def init_command():
    """Make the instance folder's secret files (SECRET_KEY, CREDENTIALS_KEY) unless the environment gives them."""
    from flask import current_app

    from . import init_instance

    made = init_instance(current_app._get_current_object())
    click.echo("\n".join(f"made {path}" for path in made) or "secrets already in place")


@click.command("demo")
@with_appcontext
def demo_command():
    """Seed a demo store, users, the sample catalogue and living stock (only into an empty database)."""
    from flask import current_app

    from .demo import seed_demo

    result = seed_demo(db.session, vault=current_app.extensions["pharmacy.vault"]())
    db.session.commit()
    click.echo(result.describe())


def register(app: Flask) -> None:
    from .cli_backup import backup_cli
    from .cli_books import books_cli, retention_cli
    from .cli_sync import sync_cli

    app.cli.add_command(backup_cli)
    app.cli.add_command(books_cli)
    app.cli.add_command(retention_cli)
    app.cli.add_command(sync_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(catalog_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(init_command)
