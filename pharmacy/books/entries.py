"""Append-only registers: a new entry must fall on an open day; a correction is a reversal entry dated today."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..clock import LOCAL_TZ, local_date
from ..errors import Conflict, Invalid, NotFound, msg
from ..stores.models import User
from .rules import BookRules

ENTRY_COLUMNS = ("store_id", "entry_date", "user_id", "created_at", "reverses_id", "reversal_reason")


def check_open(day: date, *, rules: BookRules, now: datetime, field: str) -> None:
    """An entry dated `day` may still be written: not in the future, and before the day locked."""
    if day > local_date(now):
        raise Invalid(msg("The entry date is after today."), field=field)
    if rules.is_locked(day, now):
        locked = rules.locks_at(day)
        raise Invalid(msg("The book of %(day)s locked at %(locked)s: only a reversal (with a reason) dated "
                          "today can be written.", day=f"{day:%d/%m/%Y}",
                          locked=f"{locked.astimezone(LOCAL_TZ):%H:%M %d/%m/%Y}"), field=field)


def reverse(session: Session, model, entry_id: int, *, reason: str, actor: User, now: datetime,
            store_ids: set[int] | None = None):
    """A new row that cancels row `entry_id`: the same content, `reverses_id` set, dated today, with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(msg("Write the reason for the reversal."), field="reason")
    original = session.execute(select(model).where(model.id == entry_id).with_for_update(of=model)
                               ).scalar_one_or_none()
    if original is None or (store_ids is not None and original.store_id not in store_ids):
        raise NotFound(msg("Book entry #%(id)s not found.", id=entry_id), field="id")
    if original.reverses_id is not None:
        raise Conflict(msg("A reversal cannot be reversed."), field="id")
    if session.scalar(select(model.id).where(model.reverses_id == entry_id)) is not None:
        raise Conflict(msg("Book entry #%(id)s is already reversed.", id=entry_id), field="id")
    copied = {column.key: getattr(original, column.key) for column in model.__table__.columns
              if column.key not in ("id", *ENTRY_COLUMNS)}
    if "quarantined" in copied:
        copied["quarantined"] = 0  # the reversal moves no stock: a release is its own document
    reversal = model(**copied, store_id=original.store_id, entry_date=local_date(now), user_id=actor.id,
                     created_at=now, reverses_id=original.id, reversal_reason=reason[:500])
    try:
        with session.begin_nested():
            session.add(reversal)
            session.flush()
    except IntegrityError as exc:  # the unique reverses_id: a concurrent reversal won
        raise Conflict(msg("Book entry #%(id)s is already reversed.", id=entry_id), field="id") from exc
    return reversal


def reversed_ids(session: Session, model, ids: list[int]) -> set[int]:
    """Which of these rows a reversal cancels."""
    if not ids:
        return set()
    return set(session.scalars(select(model.reverses_id).where(model.reverses_id.in_(ids))))
