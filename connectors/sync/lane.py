"""The one lane protocol the runner drives, and the context every lane gets.

A lane owns one national system (or one API of it): which outbox messages are its own, what each needs now
(`claim`: lock due messages and plan them — a job to send, or a local decision), how a job is sent (`send`: network
only, no transaction open) and how its outcome is recorded (`record`), plus re-checking held messages at the start
of every pass (`recheck`). The runner knows nothing else about a lane: it claims from every registered lane
(`connectors/sync/lanes/__init__.py`), sends the jobs from one thread pool and records each in a short transaction.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.orm import Session

from .claims import Backoff, Claimed
from .results import Result


@dataclass
class LaneContext:
    """What the runner shares with its lanes: settings, the clock, the vault, the HTTP session, the lease rules."""

    settings: Mapping[str, Any]           # the lanes' addresses and keys (NATIONAL_DRUG_DB_URL, CSDL_DUOC_URL, ERX_…)
    vault: Any                            # decrypts stored national passwords
    http: Any                             # a requests.Session-like object, one real session per thread
    clock: Callable[[], datetime]
    worker: str
    lease_seconds: float
    backoff: Backoff
    postgresql: bool
    timeout: tuple[float, float] | float
    open_session: Callable[[], Session]   # a new ORM session on the runner's engine
    extras: dict = field(default_factory=dict)


class Lane(Protocol):
    """claim -> plan -> send -> record, plus the re-check of held messages."""

    name: str

    def __init__(self, context: LaneContext) -> None: ...

    def missing_settings(self) -> list[str]:
        """Settings this lane lacks (its messages are held with that reason until they are set)."""

    def recheck(self, session: Session, now: datetime) -> int:
        """Release held messages whose data was fixed; return how many. Called once at the start of a pass."""

    def claim(self, session: Session, *, owner: str, now: datetime, limit: int) -> Claimed:
        """Lock up to `limit` due messages of this lane, plan each (a job, or a local decision settled now)."""

    def send(self, job) -> Result:
        """Make the job's calls; never touches the database with a transaction open across the network."""

    def crashed(self, job, error: Exception) -> Result:
        """The result to record when `send` raised (a bug): never lost, never resent blindly."""

    def record(self, session: Session, job, result: Result, *, started_at: datetime, now: datetime) -> str:
        """Log the attempt and move the message on; return the outcome for the pass summary."""

    def close(self) -> None: ...
