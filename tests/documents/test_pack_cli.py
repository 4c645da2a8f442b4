"""``heart-desktop pack``: the unsigned pack, the frozen signed one, and plain errors."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from cases import make_case, signature

from heart_desktop.cli import main
from heart_desktop.documents.signing import sign_pack
from heart_desktop.store import Store

PASSPHRASE = "cli pack tests"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    path = tmp_path / "cli.heartdb"
    with Store.open(path, PASSPHRASE, create=True, kdf_iter=None, officer="Priya Officer") as store:
        case_id = make_case(store, photos=1)
        reference = store.cases.get(case_id)["reference"]
    monkeypatch.setenv("HEART_PASSPHRASE", PASSPHRASE)
    return path, reference


def test_pack_writes_the_pdf(db: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, reference = db
    out = tmp_path / "pack.pdf"
    assert main(["pack", "--db", str(path), "--case", reference, "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert hashlib.sha256(out.read_bytes()).hexdigest() in capsys.readouterr().out
    again = tmp_path / "again.pdf"
    assert main(["pack", "--db", str(path), "--case", reference, "--out", str(again)]) == 0
    assert again.read_bytes() == out.read_bytes()


def test_signed_writes_the_frozen_bytes(db: tuple[Path, str], tmp_path: Path) -> None:
    path, reference = db
    out = tmp_path / "signed.pdf"
    assert main(["pack", "--db", str(path), "--case", reference, "--out", str(out), "--signed"]) == 1
    with Store.open(path, PASSPHRASE) as store:
        row = sign_pack(store, store.cases.by_reference(reference)["id"], [signature("applicant", "Edna")])
    assert main(["pack", "--db", str(path), "--case", reference, "--out", str(out), "--signed"]) == 0
    assert hashlib.sha256(out.read_bytes()).hexdigest() == row["sha256"]


def test_plain_errors(db: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, _reference = db
    assert main(["pack", "--db", str(path), "--case", "WDC/99/99999", "--out", str(tmp_path / "x.pdf")]) == 1
    assert "there is no case WDC/99/99999" in capsys.readouterr().err
    assert main(["pack", "--db", str(path), "--case", "WDC/99/99999", "--only", "nope",
                 "--out", str(tmp_path / "x.pdf")]) == 1
    assert "unknown document 'nope'" in capsys.readouterr().err
