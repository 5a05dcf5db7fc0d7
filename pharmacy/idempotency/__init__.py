"""Idempotency keys of document-creating requests: a retried request returns the first answer, never a twin."""
