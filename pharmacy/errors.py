"""Domain errors: a type per outcome, with the field and a reason; the HTTP edge picks the status."""
from __future__ import annotations


class DomainError(Exception):
    """Base of errors that a person can act on. `errors` maps field paths to messages."""

    status = 422

    def __init__(self, message: str, *, field: str | None = None, errors: dict | None = None, **extra):
        super().__init__(message)
        self.message = message
        self.errors = dict(errors or {})
        if field:
            self.errors.setdefault(field, [message])
        self.extra = extra


class Invalid(DomainError):
    """Input that breaks a rule (expired lot named, prescription missing, unknown unit)."""

    status = 422


class NotFound(DomainError):
    status = 404


class Forbidden(DomainError):
    status = 403


class Conflict(DomainError):
    """A state conflict: not enough stock, already voided."""

    status = 409


class InsufficientStock(Conflict):
    """Not enough sellable stock; `available` lists what there is, per lot."""

    def __init__(self, message: str, *, field: str, available: list[dict]):
        super().__init__(message, field=field, available=available)


class Unavailable(DomainError):
    """A national system cannot be reached; `offline=True` tells the counter to offer the hand record."""

    status = 503
