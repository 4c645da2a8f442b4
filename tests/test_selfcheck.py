"""The installation self-check IT runs after deploying: passes on a good install, names what failed
on a broken one; and bundled files are found in a frozen build's folder."""

from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

import pytest

from heart_desktop import paths
from heart_desktop.cli import main
from heart_desktop.selfcheck import self_check


def test_self_check_passes_here(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--self-check"]) == 0
    out = capsys.readouterr().out
    assert "self-check passed" in out
    for name in ("encrypted store", "form definitions", "policy and HHSRS", "application pack"):
        assert f"ok   {name}" in out


def test_a_broken_form_definition_fails_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    forms = tmp_path / "forms"
    shutil.copytree(paths.forms_dir(), forms)
    definition = forms / "home_safety_check.yaml"
    definition.write_text(definition.read_text().replace("type: yes_no", "type: maybe", 1))
    monkeypatch.setattr(paths, "forms_dir", lambda: forms)
    out = io.StringIO()
    assert self_check(out) == 1
    text = out.getvalue()
    assert "FAIL form definitions" in text and "home_safety_check" in text
    assert "self-check failed: form definitions" in text


def test_frozen_build_finds_bundled_files_in_its_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    monkeypatch.delenv(paths.RESOURCES_ENV, raising=False)
    assert paths.resources_dir() == tmp_path / "resources"
    assert paths.forms_dir() == tmp_path / "forms"


def test_an_area_missing_from_a_build_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    """A build without some area's package (as PyInstaller leaves one nothing imports) still starts."""
    from heart_desktop import cli

    monkeypatch.setattr(cli, "COMMAND_MODULES", (*cli.COMMAND_MODULES, "heart_desktop.not_in_this_build.commands"))
    assert "hhsrs" in cli.build_parser().format_help()
