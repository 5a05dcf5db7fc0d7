"""Marshmallow schemas of the JSON API: strict types, bounded values, NFC-normalized text."""
from __future__ import annotations

from marshmallow import Schema, fields, pre_load, validate

from ..text import nfc

MAX_QUANTITY = 100_000
MAX_PRICE = 1_000_000_000


def _nfc_all(value):
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, list):
        return [_nfc_all(item) for item in value]
    if isinstance(value, dict):
        return {key: _nfc_all(item) for key, item in value.items()}
    return value


class Base(Schema):
    @pre_load
    def _normalize(self, data, **kwargs):
        return _nfc_all(data)


def Text(max_length: int, *, required: bool = False, **kwargs):  # noqa: N802 - a field factory
    return fields.String(
        required=required, validate=validate.Length(min=1 if required else 0, max=max_length), **kwargs
    )


def Id(*, strict: bool = True, **kwargs):  # noqa: N802 - query strings pass strict=False
    return fields.Integer(strict=strict, validate=validate.Range(min=1, max=2**31 - 1), **kwargs)


def Quantity(**kwargs):  # noqa: N802
    return fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_QUANTITY), **kwargs)


def Money(**kwargs):  # noqa: N802
    return fields.Integer(strict=True, validate=validate.Range(min=0, max=MAX_PRICE), **kwargs)


class TokenRequestSchema(Base):
    username = Text(50, required=True)
    password = Text(200, required=True)


class TokenSchema(Schema):
    token = fields.String()
    token_type = fields.String()
    expires_in = fields.Integer()

