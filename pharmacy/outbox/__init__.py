"""The transactional outbox: what must be reported to the national systems, written with each document."""
