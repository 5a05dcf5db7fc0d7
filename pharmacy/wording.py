"""The words the domain writes into records: a quarantine's reason, a goods issue's note, a transfer's loss.

A record keeps the words it was written with, so they are in the pharmacy's language (UI_LOCALE, Vietnamese by
default) whoever writes them and whatever language that person reads the UI in: one language per installation,
like LOCAL_TZ. The code names them by English message ids, `record_text(msg("…", **params))`, translated through the
same catalogue as the UI; the app factory loads it (`use_language`). Without it (a bare domain test) the English
sentence is written.
"""
from __future__ import annotations

import gettext
from pathlib import Path

from .errors import Message

_catalogue: gettext.NullTranslations = gettext.NullTranslations()


def use_language(directory: str | Path, locale: str) -> None:
    """Write records in `locale` from now on, from the compiled catalogue under `directory` (English if none)."""
    global _catalogue
    _catalogue = gettext.translation("messages", str(directory), languages=[locale], fallback=True)


def record_text(message: Message) -> str:
    """The sentence in the records' language."""
    return message.render(_catalogue.gettext)
