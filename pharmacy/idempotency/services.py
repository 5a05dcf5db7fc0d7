"""Claiming an idempotency key and finding the document of a repeated request. Flush only; the edge commits."""
from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import Invalid, msg
from .models import IdempotencyKey

KEY_FIELD = "Idempotency-Key"
_KEY = re.compile(r"[\x21-\x7e]{1,200}")


def fingerprint(method: str, path: str, body) -> str:
    """Same request ⇔ same fingerprint: JSON key order and whitespace do not matter."""
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{method} {path}\n{canonical}".encode("utf-8", "surrogatepass")).hexdigest()


def checked_key(raw: str) -> str:
    if not _KEY.fullmatch(raw):
        raise Invalid(msg("Idempotency-Key: 1–200 printable ASCII characters, without spaces."), field=KEY_FIELD)
    return raw


def find_key(session: Session, user_id: int, key: str) -> IdempotencyKey | None:
    return session.execute(select(IdempotencyKey).where(
        IdempotencyKey.user_id == user_id, IdempotencyKey.key == key)).scalars().first()


def replayed(row: IdempotencyKey, print_: str):
    """The document id a repeated request answers with; a different request under the same key is refused."""
    if row.fingerprint != print_:
        raise Invalid(msg("This Idempotency-Key was used for another request: make a new key for each request."),
                      field=KEY_FIELD)
    return row.document_id


def claim_key(session: Session, *, user_id: int, key: str, print_: str, document_type: str,
              now: datetime) -> IdempotencyKey:
    """Insert the key before the work: a concurrent twin waits on (PostgreSQL) or is serialized behind (SQLite)
    the unique (user, key) and then fails to insert, so exactly one document is made."""
    row = IdempotencyKey(user_id=user_id, key=key, fingerprint=print_, document_type=document_type,
                         created_at=now)
    session.add(row)
    session.flush()
    return row
