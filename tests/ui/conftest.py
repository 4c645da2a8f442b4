"""GUI tests run offscreen; one QApplication for the session (pytest-qt's qapp)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
