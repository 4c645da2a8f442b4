"""The office server's one log: structured ``key=value`` lines to stderr, for the service manager.

Each line is ``ts=… level=… logger=… msg="…"`` so journald or a log shipper can filter on fields.
"""

from __future__ import annotations

import logging
import sys
import time


class KeyValueFormatter(logging.Formatter):
    """One ``key=value`` line per record; values with spaces are quoted."""

    def format(self, record: logging.LogRecord) -> str:
        fields = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + "Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        line = " ".join(f'{k}="{v}"' if (" " in str(v) or not str(v)) else f"{k}={v}"
                        for k, v in fields.items())
        if record.exc_info:
            line += ' exc="' + self.formatException(record.exc_info).replace("\n", " | ") + '"'
        return line


class CurrentStderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is when a line is logged (a redirect made later is followed,
    and a stream closed since is never written to)."""

    @property  # type: ignore[override]
    def stream(self) -> object:
        return sys.stderr

    @stream.setter
    def stream(self, _value: object) -> None:
        """The stream is always the current stderr."""


def configure(level: int = logging.INFO) -> None:
    """Route ``heart_desktop`` and uvicorn's loggers to stderr as key=value lines (once per process)."""
    handler = CurrentStderr()
    handler.setFormatter(KeyValueFormatter())
    for name in ("heart_desktop", "uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.setLevel(level)
        logger.propagate = False
