"""The sync of outbox messages to the national drug database: snapshots, runner, scheduler (imports pharmacy)."""
