"""Limits of what a request may ask, shared by the JSON API and the pages: ids that fit the database's integer
column (URL converter and query-string ids) and the page sizes of every list."""
from __future__ import annotations

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200


class IdConverter(IntegerConverter):
    """A huge or zero id in a path is simply not found (404), never an overflow deep in the database driver."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def checked_id(value: int | None, *, field: str) -> int | None:
    """An id from a query string (web pages parse their own): outside 1..MAX_ID is a 422 naming the field."""
    from .errors import Invalid, msg

    if value is not None and not 1 <= value <= MAX_ID:
        raise Invalid(msg("Invalid %(field)s.", field=field), field=field)
    return value
