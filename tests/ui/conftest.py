"""GUI tests run offscreen; one QApplication for the session (pytest-qt's qapp). Fixtures: a small
demo store made once per session, copied for each test, and an open main window on it."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from gui_steps import DEMO_CASES

from heart_desktop.store import DEMO_PASSPHRASE, Store, demo
from heart_desktop.ui.main_window import MainWindow


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.heartdb"
    with Store.open(path, DEMO_PASSPHRASE, officer="Test officer", create=True) as store:
        demo.generate(store, DEMO_CASES, seed=7)
    return path


@pytest.fixture
def store_copy(demo_store: Path, tmp_path: Path) -> Path:
    target = tmp_path / "store.heartdb"
    shutil.copy(demo_store, target)
    return target


@pytest.fixture
def window(qtbot: QtBot, store_copy: Path) -> Iterator[MainWindow]:
    win = MainWindow(store_copy, lock_minutes=30)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.shutdown()
