"""``heart-desktop init`` makes an empty store (never over an existing one); ``--db PATH`` alone means the GUI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from heart_desktop.cli import build_parser, main, with_default_verb
from heart_desktop.store import Store


def test_init_creates_an_empty_store_that_opens(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("HEART_PASSPHRASE", "new laptop passphrase")
    path = tmp_path / "officer.heartdb"
    assert main(["init", "--db", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report == {"db": str(path), "schema_version": report["schema_version"], "cases": 0}
    with Store.open(path, "new laptop passphrase") as store:
        assert store.counts()["cases"] == 0


def test_init_refuses_where_a_store_exists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("HEART_PASSPHRASE", "pw")
    path = tmp_path / "officer.heartdb"
    path.write_bytes(b"someone's data")
    assert main(["init", "--db", str(path)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert path.read_bytes() == b"someone's data"


def test_init_without_a_passphrase_and_no_terminal_says_how(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("HEART_PASSPHRASE", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["init", "--db", str(tmp_path / "x.heartdb")]) == 1
    assert "HEART_PASSPHRASE" in capsys.readouterr().err
    assert not (tmp_path / "x.heartdb").exists()


def test_db_option_alone_opens_the_gui(tmp_path: Path) -> None:
    args = build_parser().parse_args(with_default_verb(["--db", str(tmp_path / "s.heartdb")]))
    assert args.command == "gui"
    assert args.db == str(tmp_path / "s.heartdb")
    assert with_default_verb(["--version"]) == ["--version"]
    assert with_default_verb(["check", "--db", "x"]) == ["check", "--db", "x"]
