"""Checks on a request body made before anything parses it recursively."""
from __future__ import annotations

import re

from flask import request

from .errors import error_response, msg

MAX_JSON_DEPTH = 32
# A backslash pair (an escape inside a string), a quote, or a bracket: all that nesting depth depends on.
_TOKENS = re.compile(rb'\\.|["\[\]{}]', re.DOTALL)


def json_depth_exceeds(raw: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when arrays/objects nest deeper than `limit`; a linear scan, so 600 `[` never reach a recursive
    parser (Python's json, marshmallow, our own walkers)."""
    depth, in_string = 0, False
    for match in _TOKENS.finditer(raw):
        token = match.group()
        if token == b'"':
            in_string = not in_string
        elif in_string or len(token) == 2:
            continue
        elif token in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def refuse_deep_json():
    """before_request: a JSON body nested beyond MAX_JSON_DEPTH is a 400 naming the body."""
    if request.method in ("GET", "HEAD", "OPTIONS") or not request.path.startswith("/api/") or not request.is_json:
        return None
    if json_depth_exceeds(request.get_data(cache=True)):
        return error_response(400, msg("The JSON data is nested too deeply."),
                              {"body": [msg("At most %(depth)s levels of nesting.", depth=MAX_JSON_DEPTH)]})
    return None
