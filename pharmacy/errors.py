"""Domain errors: a type per outcome, with the field and a reason; the HTTP edge picks the status.

Their sentences are `msg("Product #%(id)s not found.", id=7)`: an English message id (`pybabel extract -k msg`
finds it) and its parameters, plain Python. Only the web and API layers translate them (`render(value, gettext)`);
str() gives the English sentence, for logs and the CLI.
"""
from __future__ import annotations

from collections.abc import Callable


class Message:
    """A sentence for a person: an English msgid with %-style named parameters, translated at the edge."""

    __slots__ = ("msgid", "params")

    def __init__(self, msgid: str, params: dict):
        self.msgid = msgid
        self.params = params

    def render(self, gettext: Callable[[str], str] | None = None) -> str:
        text = gettext(self.msgid) if gettext else self.msgid
        if not self.params:
            return text
        return text % {key: render(value, gettext) for key, value in self.params.items()}

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"msg({self.msgid!r}, **{self.params!r})"

    def __eq__(self, other) -> bool:
        if isinstance(other, Message):
            return (self.msgid, self.params) == (other.msgid, other.params)
        return str(self) == other

    def __hash__(self) -> int:
        return hash(str(self))

    def __contains__(self, text: str) -> bool:
        return text in str(self)

    def as_json(self) -> dict:
        """Plain data to store (a column of JSON) and render later in any language: `from_json` reads it back."""
        return {"msgid": self.msgid, "params": {key: value.as_json() if isinstance(value, Message) else value
                                                for key, value in self.params.items()}}

    @classmethod
    def from_json(cls, data: dict) -> Message:
        return cls(data["msgid"], {key: cls.from_json(value) if isinstance(value, dict) and "msgid" in value
                                   else value for key, value in (data.get("params") or {}).items()})


def msg(msgid: str, **params) -> Message:
    """Mark a sentence for translation; the UI translates it (keyword `msg` in babel.cfg)."""
    return Message(msgid, params)


def render(value, gettext: Callable[[str], str] | None = None):
    """A Message in the UI language; anything else (a number, a text already translated) as it is."""
    if isinstance(value, Message):
        return value.render(gettext)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(render(item, gettext)) for item in value)
    return value


class DomainError(Exception):
    """Base of errors that a person can act on. `errors` maps field paths to messages."""

    status = 422

    def __init__(self, message: Message | str, *, field: str | None = None, errors: dict | None = None, **extra):
        super().__init__(str(message))
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

    def __init__(self, message: Message | str, *, field: str, available: list[dict]):
        super().__init__(message, field=field, available=available)


class Unavailable(DomainError):
    """A national system cannot be reached; `offline=True` tells the counter to offer the hand record."""

    status = 503
