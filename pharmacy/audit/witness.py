"""The chain heads written outside the database: an append-only text file beside the backups, one line per commit
that moved a chain (`<UTC time> <store id> <seq> <entry hash>`), so deleting the newest entries shows."""
from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

FILE_NAME = "journal-heads.log"


def append_heads(path: Path, heads: dict[int, tuple[int, str]], now: datetime) -> None:
    _append(path, "".join(f"{now.strftime('%Y-%m-%dT%H:%M:%SZ')} {store} {seq} {digest}\n"
                          for store, (seq, digest) in sorted(heads.items())))


def _append(path: Path, lines: str) -> None:
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT
    try:
        fd = os.open(path, flags, 0o600)  # one write: whole lines, never interleaved
    except FileNotFoundError:  # the folder is made the first time only (every sale's commit appends here)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, flags, 0o600)
    try:
        os.write(fd, lines.encode())
    finally:
        os.close(fd)


def read_heads(path: Path) -> dict[int, dict[int, str]]:
    """store id -> {seq: entry hash} of every line; malformed lines are skipped."""
    heads: dict[int, dict[int, str]] = {}
    if not path.exists():
        return heads
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[1].isdigit() and parts[2].isdigit() and len(parts[3]) == 64:
            heads.setdefault(int(parts[1]), {})[int(parts[2])] = parts[3]
    return heads


def append_purge(path: Path, purge_id: int, ranges: list[tuple[int, int, int]], now: datetime) -> None:
    """A retention purge's chain ranges (store, first seq, last seq), one line each (`<UTC time> purge <store>
    <first> <last> <purge id>`): the verification accepts a purged document missing only in a range written here too,
    so a range added to the database by hand hides nothing. Old readers skip these lines (six fields)."""
    _append(path, "".join(f"{now.strftime('%Y-%m-%dT%H:%M:%SZ')} purge {store} {low} {high} {purge_id}\n"
                          for store, low, high in ranges))


def read_purges(path: Path) -> dict[int, set[tuple[int, int]]] | None:
    """store id -> {(first seq, last seq)} of every purge line; None when there is no file to read."""
    if not path.exists():
        return None
    found: dict[int, set[tuple[int, int]]] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split()
        if len(parts) == 6 and parts[1] == "purge" and all(part.isdigit() for part in parts[2:]):
            found.setdefault(int(parts[2]), set()).add((int(parts[3]), int(parts[4])))
    return found
