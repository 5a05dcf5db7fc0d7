"""Marshmallow schemas of the JSON API: strict types, bounded values, NFC-normalized text."""
from __future__ import annotations

import re
from collections.abc import Mapping

from marshmallow import Schema, ValidationError, fields, pre_load, validate

from .errors import msg
from .text import nfc

MAX_QUANTITY = 100_000
MAX_PRICE = 1_000_000_000


# NUL cannot be stored by PostgreSQL and a lone surrogate cannot be encoded as UTF-8: both are refused at the edge,
# naming the field, on both databases alike.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
NUL_MESSAGE = msg("Contains characters that are not allowed (NUL or a lone Unicode surrogate).")


def _path(prefix: str, key) -> str:
    key = _UNSTORABLE.sub("?", str(key))
    return f"{prefix}[{key}]" if isinstance(key, int) or key.isdigit() else (f"{prefix}.{key}" if prefix else key)


def _clean(value, path: str, errors: dict):
    """NFC-normalized copy of a loaded JSON value; unstorable text is collected into `errors` by field path."""
    if isinstance(value, str):
        if _UNSTORABLE.search(value):
            errors[path or "body"] = [NUL_MESSAGE]
            return value
        return nfc(value)
    if isinstance(value, list):
        return [_clean(item, f"{path}[{index}]", errors) for index, item in enumerate(value)]
    if isinstance(value, dict):
        cleaned = {}
        for key, item in value.items():
            if isinstance(key, str) and _UNSTORABLE.search(key):
                errors[_path(path, key)] = [NUL_MESSAGE]
                continue
            cleaned[key] = _clean(item, _path(path, key), errors)
        return cleaned
    if isinstance(value, Mapping):  # webargs' view of a query string: checked, left as it is
        for key in value:
            _clean(value[key], _path(path, key), errors)
    return value


class Base(Schema):
    @pre_load
    def _normalize(self, data, **kwargs):
        errors: dict = {}
        cleaned = _clean(data, "", errors)
        if errors:
            raise ValidationError(errors)
        return cleaned


class Patchable(Base):
    """A body schema that PATCH loads with `partial=True`: an empty or missing body changes nothing and is a 422."""

    @pre_load
    def _something_to_change(self, data, **kwargs):
        if self.partial and not data:
            raise ValidationError(msg("Nothing to change: send at least one field."), "body")
        return data


class WholeNumber(fields.Integer):
    """A JSON integer. A whole-number float (`1298.0`) is the same JSON number (JSON Schema's `integer` accepts it)
    and is taken as 1298; `1.5`, `"2"`, `true` are refused."""

    def __init__(self, **kwargs):
        super().__init__(strict=True, **kwargs)

    def _validated(self, value):
        if isinstance(value, float) and value.is_integer() and abs(value) <= 2**53:
            value = int(value)
        return super()._validated(value)


def Text(max_length: int, *, required: bool = False, **kwargs):  # noqa: N802 - a field factory
    return fields.String(
        required=required, validate=validate.Length(min=1 if required else 0, max=max_length), **kwargs
    )


def Id(*, strict: bool = True, **kwargs):  # noqa: N802 - query strings pass strict=False
    field = WholeNumber if strict else fields.Integer
    return field(validate=validate.Range(min=1, max=2**31 - 1), **kwargs)


def Quantity(**kwargs):  # noqa: N802
    return WholeNumber(validate=validate.Range(min=1, max=MAX_QUANTITY), **kwargs)


def Money(**kwargs):  # noqa: N802
    return WholeNumber(validate=validate.Range(min=0, max=MAX_PRICE), **kwargs)


class TokenRequestSchema(Base):
    username = Text(50, required=True)
    password = Text(200, required=True)


class TokenSchema(Schema):
    token = fields.String()
    token_type = fields.String()
    expires_in = fields.Integer()

