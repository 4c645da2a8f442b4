"""The laptop's one log: a rotating file under the platform log directory, for IT after a problem.

What goes in it is operational only: events, ids, counts, timings and error types with their
stack. Never a name, an address or an answer: callers log ids and counts, and errors are logged by
type and traceback, not by message (a message can quote what was typed).
"""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

import platformdirs

from heart_desktop.paths import APP_AUTHOR, APP_NAME

LOG_DIR_ENV = "HEART_LOG_DIR"
LOG_FILE = "heart-desktop.log"
ROOT = "heart_desktop"
_MAX_BYTES = 1_000_000
_BACKUPS = 5


def log_dir() -> Path:
    """Where the log lives: ``$HEART_LOG_DIR``, else ``platformdirs.user_log_dir``."""
    override = os.environ.get(LOG_DIR_ENV)
    return Path(override) if override else Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))


def configure(folder: Path | None = None, level: int = logging.INFO) -> Path:
    """Send the ``heart_desktop`` loggers to the rotating file (once per process); returns its path."""
    folder = folder or log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_FILE
    logger = logging.getLogger(ROOT)
    for handler in logger.handlers:
        if isinstance(handler, logging.handlers.RotatingFileHandler) and Path(handler.baseFilename) == path:
            return path
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=_MAX_BYTES, backupCount=_BACKUPS,
                                                   encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s pid=%(process)d %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)
    return path
