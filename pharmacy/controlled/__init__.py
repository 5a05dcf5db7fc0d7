"""Controlled drugs (thuốc phải kiểm soát đặc biệt): classes, the counter's rules and their append-only ledger."""
