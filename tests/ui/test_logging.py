"""One log per process: the laptop's rotating file (no personal data), the office's key=value lines,
and Help > Show log folder."""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

import pytest

from heart_desktop import logs
from heart_desktop.central.logs import KeyValueFormatter
from heart_desktop.ui.errors import log_unexpected_error
from heart_desktop.ui.main_window import MainWindow


def test_help_menu_shows_the_log_folder(window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(logs.LOG_DIR_ENV, str(tmp_path / "logs"))
    help_actions = [a for m in window.menuBar().actions() if m.text() == "&Help" for a in m.menu().actions()]
    assert window.log_folder_action in help_actions
    assert window.log_folder_action.text() == "Show &log folder"
    assert Path(window.log_folder_url().toLocalFile()) == tmp_path / "logs"
    assert (tmp_path / "logs").is_dir()


def test_the_laptop_log_is_a_rotating_file_without_personal_data(tmp_path: Path) -> None:
    path = logs.configure(tmp_path)
    assert logs.configure(tmp_path) == path  # once per process, however often asked
    try:
        raise ValueError("Mrs Jean Smith, 1 Bench Road")  # what an unexpected error may quote
    except ValueError as exc:
        log_unexpected_error(exc, traceback.format_exc())
    logging.getLogger("heart_desktop.sync").info("sync finished pushed=%d pulled=%d", 3, 4)
    for handler in logging.getLogger(logs.ROOT).handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "sync finished pushed=3 pulled=4" in text
    assert "unexpected error type=ValueError" in text and "test_logging.py" in text
    assert "Jean Smith" not in text and "Bench Road" not in text


def test_the_office_log_is_key_value_lines() -> None:
    record = logging.LogRecord("heart_desktop.central", logging.INFO, __file__, 1, "push accepted rows=%d",
                               (12,), None)
    line = KeyValueFormatter().format(record)
    assert "level=info" in line and "logger=heart_desktop.central" in line and 'msg="push accepted rows=12"' in line
    assert line.startswith("ts=")


def test_a_headless_verb_logs_its_run_without_the_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    from heart_desktop import cli

    monkeypatch.setenv(logs.LOG_DIR_ENV, str(tmp_path / "logs"))
    case = tmp_path / "case.json"
    case.write_text('{"application_date": "2026-11-30", "tenure": "owner_occupier", "people": '
                    '[{"age": -4, "relation": "disabled_person", "weekly_income": 100, "benefits": []}], '
                    '"capital": 0}', encoding="utf-8")
    assert cli.main(["means-test", str(case), "--json"]) == 2
    capsys.readouterr()
    text = (tmp_path / "logs" / logs.LOG_FILE).read_text(encoding="utf-8")
    assert "verb=means-test exit=2 refused" in text
    assert "-4" not in text.split("verb=means-test")[1]  # what was typed stays out of the log
