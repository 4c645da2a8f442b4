"""The headless verbs through ``heart_desktop.cli.main``: demo, check, cases, backup, restore."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from heart_desktop.cli import main
from heart_desktop.store import DEMO_PASSPHRASE


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HEART_PASSPHRASE", "cli passphrase")
    path = tmp_path / "cli.heartdb"
    assert main(["demo", "--db", str(path), "--cases", "40", "--seed", "2"]) == 0
    return path


def test_check_json(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["check", "--db", str(db), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["integrity"] == "ok"
    assert report["schema_version"] >= 2
    assert report["counts"]["cases"] == 40


def test_cases_json_and_search(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["cases", "--db", str(db), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 40
    assert set(rows[0]) >= {"reference", "customer", "postcode", "council", "stage"}
    district = rows[0]["postcode"].split()[0]
    assert main(["cases", "--db", str(db), "--search", district, "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found and all(r["postcode"].startswith(district + " ") for r in found)


def test_db_from_environment(db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("HEART_DB", str(db))
    capsys.readouterr()
    assert main(["check", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["counts"]["cases"] == 40


def test_errors_are_plain(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("HEART_PASSPHRASE", "wrong")
    assert main(["check", "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "passphrase" in err and "Traceback" not in err
    (tmp_path / "notes.txt").write_text("not a store")
    assert main(["cases", "--db", str(tmp_path / "notes.txt")]) == 1
    assert "not a HEART store" in capsys.readouterr().err
    assert main(["check", "--db", str(tmp_path / "missing.heartdb")]) == 1
    assert "no store" in capsys.readouterr().err


def test_backup_and_restore(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                            capsys: pytest.CaptureFixture[str]) -> None:
    copy = tmp_path / "backup.heartdb"
    assert main(["backup", "--db", str(db), "--out", str(copy)]) == 0
    assert main(["restore", "--from", str(copy), "--db", str(db)]) == 1
    assert "--force" in capsys.readouterr().err
    target = tmp_path / "restored.heartdb"
    assert main(["restore", "--from", str(copy), "--db", str(target)]) == 0
    capsys.readouterr()
    assert main(["check", "--db", str(target), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["counts"]["cases"] == 40
    monkeypatch.setenv("HEART_PASSPHRASE", "wrong")
    assert main(["restore", "--from", str(copy), "--db", str(tmp_path / "other.heartdb"), "--force"]) == 1
    assert not (tmp_path / "other.heartdb").exists()
    assert main(["restore", "--from", str(copy), "--db", str(target), "--force"]) == 1
    assert main(["check", "--db", str(target)]) == 1  # still the old key: the failed restore left it alone


def test_demo_passphrase_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("HEART_PASSPHRASE", raising=False)
    path = tmp_path / "demo.heartdb"
    assert main(["demo", "--db", str(path), "--cases", "5"]) == 0
    assert DEMO_PASSPHRASE in capsys.readouterr().out
    monkeypatch.setenv("HEART_PASSPHRASE", DEMO_PASSPHRASE)
    assert main(["check", "--db", str(path)]) == 0


def test_passphrase_is_never_an_argument() -> None:
    from heart_desktop.cli import build_parser

    parser = build_parser()
    for verb in ("demo", "check", "cases", "backup", "restore"):
        sub = parser._subparsers._group_actions[0].choices[verb]  # type: ignore[union-attr]
        assert not any("pass" in opt for action in sub._actions for opt in action.option_strings)


def test_check_reports_damage(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = bytearray(db.read_bytes())
    for offset in range(len(data) // 2, len(data) // 2 + 64):
        data[offset] ^= 0x5A
    db.write_bytes(bytes(data))
    Path(f"{db}-wal").unlink(missing_ok=True)
    capsys.readouterr()
    assert main(["check", "--db", str(db), "--json"]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert "damaged" in captured.err or json.loads(captured.out)["integrity"] != "ok"
