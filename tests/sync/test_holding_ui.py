"""The caseload says how many cases the laptop holds and why, against the real office: a case closed
before the laptop window leaves the laptop on the sync after unlocking, and the line under the
list counts what stays. With SHOT_DIR set (under Xvfb at 1366x768) the screen is saved as PNG."""
# ruff: noqa: F811 (the fixtures from office_helpers are imported, then named as parameters)

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from office_helpers import Clock, clock, db_kind, db_url, office  # noqa: F401
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot
from sync_cases import new_case
from sync_server import PASSPHRASE, Server
from test_sync_ui import opened, unlock

from heart_desktop.store import Store
from heart_desktop.sync.client import enrol, sync_once


@pytest.mark.parametrize("db_kind", ["sqlite"], indirect=True)
def test_the_caseload_says_what_the_laptop_holds(qtbot: QtBot, office: Callable[..., Server], clock: Clock,
                                                 tmp_path: Path) -> None:
    clock.now = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
    server = office()
    server.service.add_officer("A. Okafor", "HAO", ["NBBC", "RBC"])
    path = tmp_path / "laptop.heartdb"  # the app's own key derivation, as a real laptop's
    with Store.open(path, PASSPHRASE, officer="A. Okafor", create=True) as store:
        enrol(store, server.url, server.service.enrol_code("A. Okafor"))
        for council, family in (("NBBC", "Ashdown"), ("RBC", "Brightwell"), ("RBC", "Carrow")):
            new_case(store, council, family)
        gone = new_case(store, "NBBC", "Dunmore")
        store.cases.update(gone, {"outcome": "withdrawn", "outcome_on": date(2026, 8, 31)})
        sync_once(store)
        assert store.cases.count() == 4
    clock.now = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)  # the closed case is now past the 90 days
    with opened(qtbot, path) as win:
        unlock(qtbot, win)
        expected = ("Holding 3 cases: open, or closed in the last 90 days, in NBBC and RBC. "
                    "Older closed cases are kept at the office.")
        qtbot.waitUntil(lambda: win.caseload.holding.text() == expected, timeout=20_000)
        assert win.caseload.holding.accessibleDescription() == "Cases held on this laptop"
        qtbot.waitUntil(lambda: win.caseload.model.total() == 3, timeout=20_000)
        folder = os.environ.get("SHOT_DIR")
        if folder:
            qtbot.wait(500)
            QGuiApplication.primaryScreen().grabWindow(0).save(str(Path(folder) / "caseload-holding.png"))
