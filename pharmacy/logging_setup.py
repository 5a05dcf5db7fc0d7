"""Logging for `python app.py`, gunicorn and `sync worker`: one dictConfig, INFO to stderr, one line per record.

The sync pass summary and every send outcome (store, document number, outcome) log at INFO from the sync
package; nothing here formats request bodies or headers, so secrets never reach a log line."""
from __future__ import annotations

import logging.config

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def logging_config(level: str = "INFO") -> dict:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": FORMAT}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"}},
        "root": {"level": level, "handlers": ["stderr"]},
        "loggers": {
            # Request lines come from the servers themselves; library chatter stays at WARNING.
            "urllib3": {"level": "WARNING"},
            "apscheduler": {"level": "WARNING"},
            "waitress.queue": {"level": "WARNING"},
        },
    }


def configure_logging(level: str = "INFO") -> None:
    logging.config.dictConfig(logging_config(level))
