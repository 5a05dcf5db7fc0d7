"""Backups: a consistent copy while the shop sells (SQLite online backup API, PostgreSQL pg_dump), verify, restore."""
