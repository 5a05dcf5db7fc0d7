"""What a lane decides for a claimed message before any network: a job to send, or a local decision."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pharmacy.stores.models import Store

from .notices import not_configured


@dataclass(frozen=True)
class AccountJob:
    """What every job sent with a store's national account starts with; plain data, safe to hand to a thread."""

    message_id: int
    lease_owner: str
    store_id: int
    account: tuple[str, str]       # (national username, encrypted password)


@dataclass(frozen=True)
class Decision:
    """A local outcome, no network: held (with problems), cancelled, rejected, or released to wait a little."""

    status: str
    message: str
    problems: list[dict] | None = None
    delay_seconds: float = 0.0


@dataclass
class Plan:
    """Either a job to run or a local decision; a void of a never-sent original also cancels that original."""

    job: Any = None
    decision: Decision | None = None
    cancel_original: bool = False


def held(problems: list[dict], product_ids: dict[str, int] | None = None) -> Decision:
    """Held until a person fixes the data: each problem names its product (linked when known) or the document."""
    ids = product_ids or {}
    listed = [{**problem, "product_id": ids.get(problem.get("product"))} for problem in problems]
    text = "; ".join(f"{p['product'] or 'document'}: {p['field']} {p['reason']}" for p in listed)
    return Decision("held", text, listed)


def held_unconfigured(setting: str, system: str) -> Plan:
    """The lane has no address for its national system: hold (never lose) until the setting exists."""
    problem = not_configured(setting, system)
    return Plan(decision=Decision("held", f"{problem['field']} {problem['reason']}", [problem]))


def account_problems(store: Store) -> list[dict]:
    """What the store lacks to log in and report: a person must fill these in on the store."""
    missing = []
    for field_name, value in (("national_facility_code", store.national_facility_code),
                              ("national_username", store.national_username),
                              ("national_password", store.national_password_encrypted)):
        if not value:
            missing.append({"product": None, "field": field_name, "reason": "is missing on the store"})
    return missing
