"""The sync bridge: the only part of connectors/ that reads pharmacy's database, turning outbox messages into calls.

`runner.py` drives the lanes of `lanes/` (one per national system) through the protocol of `lane.py`; `claims.py`
holds the outbox's short transactions, `snapshots.py` reads documents into `connectors/documents.py` values,
`results.py` maps connector errors to outcomes, `notices.py` names every note for translation, `scheduler.py` runs
passes on a schedule, `settings.py` reads the SYNC_* settings, and `demo.py` points the sandboxes at the stores.
"""
