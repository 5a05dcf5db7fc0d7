"""Where a page may send the browser next: only paths on this site, parsed the way browsers parse them."""
from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit


def safe_next(target: str | None) -> str | None:
    """A same-origin path ("/sales?page=2"), or None.

    Browsers drop tabs and newlines inside URLs and read a backslash as a slash, so "/\\t/evil.example" and
    "/\\\\evil.example" are both "//evil.example" (another site) to them: any control character, whitespace or
    backslash refuses the target, and so does anything with a scheme or a host.
    """
    if not target or len(target) > 2000:
        return None
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 or ch == "\\" for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith("//"):
        return None
    return urlunsplit(("", "", parts.path, parts.query, parts.fragment))
