"""For the whole suite: the laptop's log goes to a folder of the test run, not the user's own."""

from __future__ import annotations

import os
import tempfile

from heart_desktop.logs import LOG_DIR_ENV

os.environ.setdefault(LOG_DIR_ENV, tempfile.mkdtemp(prefix="heart-test-logs-"))
