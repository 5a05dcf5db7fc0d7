"""Alembic environment for Flask-Migrate: our metadata; the search tables and indexes made by raw SQL per
dialect are hidden from autogenerate and `flask db check` (which .ci/run uses to keep models and migrations agreed)."""
import logging
from logging.config import fileConfig

from alembic import context
from alembic.ddl.sqlite import SQLiteImpl
from flask import current_app
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import text

config = context.config
if config.config_file_name and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db
HIDDEN_TABLE_PREFIXES = ("product_search",)  # FTS5 virtual table and its shadow tables (created by raw SQL)
RAW_SQL_INDEXES = ("ix_products_search_trgm", "ix_products_search_prefix")  # PostgreSQL search indexes (raw SQL)


def include_name(name, type_, parent_names):
    if type_ == "index" and name in RAW_SQL_INDEXES:
        return False
    return not (type_ == "table" and name and name.startswith(HIDDEN_TABLE_PREFIXES))


class SQLiteDropsInPlace(SQLiteImpl):
    """SQLite's batch mode, except that it drops columns in place where SQLite (3.35+) can: a copied table loses its
    triggers (the search index's), so `batch_op.drop_column` in a released downgrade copies only when it must."""

    __dialect__ = "sqlite"  # replaces Alembic's own implementation for SQLite

    def requires_recreate_in_batch(self, batch_op) -> bool:
        dropped = [arg[1].name for name, arg, _kw in batch_op.batch if name == "drop_column"]
        if dropped and not self._drops_in_place(batch_op.table_name, dropped):
            return True
        rest = [op for op in batch_op.batch if op[0] != "drop_column"]
        return super().requires_recreate_in_batch(_Batch(rest))

    def _drops_in_place(self, table: str, columns: list[str]) -> bool:
        """SQLite refuses to drop a column that is a key, indexed, unique, checked or named by a trigger."""
        inspector = sa_inspect(self.connection)
        named = set(inspector.get_pk_constraint(table)["constrained_columns"])
        for found in (inspector.get_foreign_keys(table), inspector.get_indexes(table),
                      inspector.get_unique_constraints(table)):
            named.update(column for entry in found for column in entry.get("constrained_columns",
                                                                             entry.get("column_names", [])))
        texts = [check["sqltext"] for check in inspector.get_check_constraints(table)]
        texts += self.connection.execute(text("SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                                              "AND tbl_name = :name"), {"name": table}).scalars().all()
        return not any(column in named or any(column in sql for sql in texts) for column in columns)


class _Batch:
    def __init__(self, batch: list):
        self.batch = batch


def run_migrations_online():
    def process_revision_directives(context_, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", process_revision_directives)
    engine = target_db.engine
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            # Batch mode recreates tables; foreign keys must be off before the transaction starts.
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        context.configure(
            connection=connection, target_metadata=target_db.metadata, include_name=include_name, **conf_args
        )
        with context.begin_transaction():
            context.run_migrations()
        if connection.dialect.name == "sqlite":
            connection.commit()
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run `flask --app app db upgrade`")
run_migrations_online()
