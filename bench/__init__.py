"""Benchmarks (scripts, not tests): run them with .venv/bin/python bench/<name>.py."""
