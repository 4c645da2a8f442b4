"""For the whole suite: the laptop's log goes to a folder of the test run, not the user's own, and
the property tests draw the same examples on every run (a failure found once is found again; CI is
never red by the luck of the draw). ``--hypothesis-profile explore`` draws new ones."""

from __future__ import annotations

import os
import tempfile

from hypothesis import settings

from heart_desktop.logs import LOG_DIR_ENV

settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile("repeatable")

os.environ.setdefault(LOG_DIR_ENV, tempfile.mkdtemp(prefix="heart-test-logs-"))
