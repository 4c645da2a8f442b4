"""Temporary files of the app: previews and prints are made in memory, and whatever must briefly be
a file (a library's temporary file, the print spooler's) goes to a private directory (0700) that
is emptied at start (a crash's leftovers) and removed at exit."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from heart_desktop import paths

APP = """
import sys, tempfile
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from heart_desktop.ui import app

def look():
    here = Path(tempfile.gettempdir())
    Path(sys.argv[2]).write_text(f"{here}\\n{sorted(p.name for p in here.iterdir())}")
    QApplication.quit()

app.create_application()
QTimer.singleShot(500, look)
sys.exit(app.run(Path(sys.argv[1])))
"""


def test_the_private_directory_is_emptied_made_private_and_removed(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "runtime" / "tmp"
    monkeypatch.setenv(paths.TEMP_DIR_ENV, str(folder))
    for name in ("TMPDIR", "TEMP", "TMP"):
        monkeypatch.setenv(name, os.environ.get(name, ""))  # restored after the test
    monkeypatch.setattr(tempfile, "tempdir", tempfile.tempdir)
    folder.mkdir(parents=True)
    (folder / "pack-left-by-a-crash.pdf").write_bytes(b"%PDF-1.7 synthetic")
    opened = paths.open_private_temp()
    assert opened == folder and list(folder.iterdir()) == []
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    with tempfile.NamedTemporaryFile() as handle:  # a library's temporary file lands inside
        assert Path(handle.name).parent == folder
    assert os.environ["TMPDIR"] == str(folder)  # and a child process's (the print spooler's)
    paths.remove_private_temp(folder)
    assert not folder.exists()


def test_the_app_runs_with_its_private_directory_and_removes_it_at_exit(tmp_path: Path) -> None:
    folder = tmp_path / "runtime" / "tmp"
    folder.mkdir(parents=True)
    (folder / "photo-left-by-a-crash.jpg").write_bytes(b"\xff\xd8\xff synthetic")
    seen = tmp_path / "seen.txt"
    env = {**os.environ, paths.TEMP_DIR_ENV: str(folder), "QT_QPA_PLATFORM": "offscreen",
           "HEART_DATA_DIR": str(tmp_path / "data"), "HEART_LOG_DIR": str(tmp_path / "logs")}
    done = subprocess.run([sys.executable, "-c", APP, str(tmp_path / "none.heartdb"), str(seen)], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    where, listed = seen.read_text().splitlines()
    assert where == str(folder) and listed == "[]"  # used while running, the leftover gone at start
    assert not folder.exists()  # removed at exit
