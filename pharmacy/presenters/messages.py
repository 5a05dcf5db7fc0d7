"""Domain and validation sentences in the UI language, for the API and the web pages alike.

The domain raises `msg(...)` sentences (pharmacy/errors.py); marshmallow and webargs answer in English with
their own default messages ("Field may not be null.", "Must be greater than or equal to 1."). Both are
translated here with Flask-Babel; a text that is neither (already translated, or a remote system's own words)
passes as it is.
"""
from __future__ import annotations

import functools
import inspect
import re

from flask_babel import gettext
from marshmallow import Schema, fields, validate

from ..audit.verification import run_messages
from ..errors import DomainError, Message, render

# Placeholders whose values a template cannot know in advance (the input itself, naive/aware datetimes).
UNPREDICTABLE = ("{input", "{awareness}")
# webargs' own refusals, beside marshmallow's.
WEBARGS_MESSAGES = ("Invalid JSON body.",)
RANGE_BOUNDS = {"min_op": (validate.Range.message_gte, validate.Range.message_gt),
                "max_op": (validate.Range.message_lte, validate.Range.message_lt)}


@functools.cache
def marshmallow_templates() -> tuple[str, ...]:
    """Every default message of marshmallow's fields, schemas and validators (and webargs'), as the msgids the catalogue
    translates; `{name}` placeholders stay (their values are read back from the English text)."""
    found = set(Schema._default_error_messages.values()) | set(WEBARGS_MESSAGES)
    for _name, cls in inspect.getmembers(fields, inspect.isclass):
        for template in getattr(cls, "default_error_messages", {}).values():
            obj_type = getattr(cls, "OBJ_TYPE", None)
            found.add(template.replace("{obj_type}", obj_type) if obj_type else template)
    for _name, cls in inspect.getmembers(validate, inspect.isclass):
        for key, template in vars(cls).items():
            if isinstance(template, str) and (key == "default_message" or key.startswith("message_")):
                found.add(template)
    for template in (validate.Range.message_min, validate.Range.message_max, validate.Range.message_all):
        found.discard(template)
        for low in RANGE_BOUNDS["min_op"]:
            for high in RANGE_BOUNDS["max_op"]:
                found.add(template.format(min_op=low, max_op=high))
    for operator in (*RANGE_BOUNDS["min_op"], *RANGE_BOUNDS["max_op"]):
        found.discard(operator)
    return tuple(sorted(t for t in found if "{obj_type}" not in t and not any(p in t for p in UNPREDICTABLE)))


@functools.cache
def _patterns() -> tuple[tuple[re.Pattern, str], ...]:
    patterns = []
    for template in marshmallow_templates():
        if "{" not in template:
            continue
        regex = re.escape(template)
        for name in re.findall(r"\\\{(\w+)\\\}", regex):
            regex = regex.replace(rf"\{{{name}\}}", f"(?P<{name}>.+?)", 1)
        patterns.append((re.compile(f"^{regex}$"), template))
    return tuple(patterns)


def text(value) -> str:
    """One sentence in the UI language."""
    if isinstance(value, Message):
        return str(render(value, gettext))
    value = str(value)
    translated = gettext(value)
    if translated != value:
        return translated
    for pattern, template in _patterns():
        found = pattern.match(value)
        if found:
            return gettext(template).format(**found.groupdict())
    return value


def texts(errors: dict) -> dict[str, list[str]]:
    """Field path → sentences in the UI language."""
    return {key: [text(item) for item in (items if isinstance(items, list) else [items])]
            for key, items in errors.items()}


def error_text(error: DomainError) -> str:
    return text(error.message)


def error_texts(error: DomainError) -> dict[str, list[str]]:
    return texts(error.errors)


def form_errors(error: DomainError) -> dict[str, str]:
    """A form's field → one line of sentences; the sentence alone under "" when no field is named."""
    return {key: " ".join(items) for key, items in error_texts(error).items()} or {"": error_text(error)}


class Sentence(fields.String):
    """A domain sentence (a `msg(...)`) in an API answer, in the UI language."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else text(value)


def verification_text(run) -> str:
    """A journal verification's findings in the UI language (a run kept before findings: its text as stored)."""
    sentences = run_messages(run)
    return run.message if sentences is None else "; ".join(text(sentence) for sentence in sentences)
