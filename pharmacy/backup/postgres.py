"""PostgreSQL: pg_dump's custom format (one consistent snapshot), read back by pg_restore for checks and restores."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from sqlalchemy.engine import URL

from ..files import create_private

COPY_START = re.compile(r"^COPY (?:public\.)?\"?([A-Za-z0-9_]+)\"? .* FROM stdin;$")


class ToolMissing(ValueError):
    pass


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise ToolMissing(f"{name} not found: install the PostgreSQL client tools "
                          "(Debian: apt-get install postgresql-client)")
    return found


def _conninfo(url: URL) -> tuple[list[str], dict]:
    """libpq options for the tools, with the password in the environment (never on a command line)."""
    args = ["--dbname", url.database or ""]
    for flag, value in (("--host", url.host), ("--port", url.port), ("--username", url.username)):
        if value:
            args += [flag, str(value)]
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return args, env


def dump(url: URL, target: Path) -> None:
    """pg_dump --format=custom into a new private file."""
    if not create_private(target):
        raise FileExistsError(target)
    args, env = _conninfo(url)
    _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(target), *args], env)


def row_counts(backup: Path) -> dict[str, int]:
    """Reads every table's data out of the archive (checking it decompresses) and counts the rows."""
    counts: dict[str, int] = {}
    command = [_tool("pg_restore"), "--data-only", "--file", "-", str(backup)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
                          errors="replace") as process:
        table = None
        for line in process.stdout:
            line = line.rstrip("\n")
            if table is None:
                match = COPY_START.match(line)
                if match:
                    table = match.group(1)
                    counts[table] = 0
            elif line == "\\.":
                table = None
            else:
                counts[table] += 1
        errors = process.stderr.read()
        if process.wait() != 0:
            raise ValueError(f"the file is damaged or unreadable: {errors.strip()[-500:]}")
    return counts


def restore(backup: Path, url: URL) -> None:
    """Replace the public schema by the archive's, in one transaction: a failure leaves the database as it was."""
    args, env = _conninfo(url)
    listing = subprocess.run([_tool("pg_restore"), "--list", str(backup)], capture_output=True, text=True, check=False)
    if listing.returncode != 0:
        raise ValueError(f"the file is damaged or unreadable: {listing.stderr.strip()[-500:]}")
    # The schema is made here, so the archive's own "public" schema entry (present or skipped) is left out.
    entries = "".join(line + "\n" for line in listing.stdout.splitlines() if " SCHEMA - public " not in line)
    with tempfile.TemporaryDirectory() as folder:
        toc = Path(folder) / "toc.list"
        toc.write_text(entries, encoding="utf-8")
        _pipe_into_psql(backup, toc, args, env)


def _pipe_into_psql(backup: Path, toc: Path, args: list[str], env: dict) -> None:
    prefix = ("SET client_min_messages = warning;\nBEGIN;\nDROP SCHEMA IF EXISTS public CASCADE;\n"
              "CREATE SCHEMA public;\n")
    psql_command = [_tool("psql"), "--quiet", "--no-psqlrc", "-v", "ON_ERROR_STOP=1", *args]
    source_command = [_tool("pg_restore"), "--no-owner", "--no-privileges", "--use-list", str(toc), "--file", "-",
                      str(backup)]
    with subprocess.Popen(psql_command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          env=env) as psql, \
            subprocess.Popen(source_command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as source:
        try:
            psql.stdin.write(prefix.encode())
            shutil.copyfileobj(source.stdout, psql.stdin)
            source_ok = source.wait() == 0
            if source_ok:  # COMMIT only once the whole archive was read; else psql ends and PostgreSQL rolls back
                psql.stdin.write(b"COMMIT;\n")
            psql.stdin.close()
        except BrokenPipeError:  # psql stopped at an error (ON_ERROR_STOP): nothing was committed
            source.kill()
            source_ok = False
        errors = (source.stderr.read() + psql.stderr.read()).decode(errors="replace").strip()
        if not source_ok or source.wait() != 0 or psql.wait() != 0:
            raise ValueError(f"restore failed, database unchanged: {errors[-500:]}")


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ValueError(f"{Path(command[0]).name} failed: {result.stderr.strip()[-500:]}")
