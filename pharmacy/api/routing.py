"""URL converters: every `<int:…>` id in a path is positive and fits the database's integer column."""
from __future__ import annotations

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """A huge or zero id in a path is simply not found (404), never an overflow deep in the database driver."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def checked_id(value: int | None, *, field: str) -> int | None:
    """An id from a query string (web pages parse their own): outside 1..MAX_ID is a 422 naming the field."""
    from ..errors import Invalid

    if value is not None and not 1 <= value <= MAX_ID:
        raise Invalid(f"Mã {field} không hợp lệ.", field=field)
    return value
