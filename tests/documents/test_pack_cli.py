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


def test_large_print_for_this_file_or_as_the_case_remembers(db: tuple[Path, str], tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    from pdftext import font_sizes

    path, reference = db
    standard, large, remembered = tmp_path / "standard.pdf", tmp_path / "large.pdf", tmp_path / "remembered.pdf"
    assert main(["pack", "--db", str(path), "--case", reference, "--out", str(standard)]) == 0
    assert main(["pack", "--db", str(path), "--case", reference, "--out", str(large), "--large-print"]) == 0
    assert "large print" in capsys.readouterr().out
    assert min(font_sizes(large.read_bytes())) >= 16 and min(font_sizes(standard.read_bytes())) < 16
    with Store.open(path, PASSPHRASE) as store:
        case = store.cases.by_reference(reference)
        assert not case["large_print"]  # a flag for this file only: the case is not changed
        store.cases.update(case["id"], {"large_print": True})
    assert main(["pack", "--db", str(path), "--case", reference, "--out", str(remembered)]) == 0
    assert remembered.read_bytes() == large.read_bytes()
    assert main(["pack", "--db", str(path), "--case", reference, "--out", str(remembered), "--standard-print"]) == 0
    assert remembered.read_bytes() == standard.read_bytes()


def test_html_copy(db: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, reference = db
    html = tmp_path / "pack.html"
    assert main(["pack", "--db", str(path), "--case", reference, "--html", str(html)]) == 0
    text = html.read_text(encoding="utf-8")
    assert '<html lang="en-GB"' in text and "<h1>Schedule of works and award</h1>" in text
    assert "HTML copy" in capsys.readouterr().out
    with Store.open(path, PASSPHRASE) as store:
        sign_pack(store, store.cases.by_reference(reference)["id"], [signature("applicant", "Edna")])
    assert main(["pack", "--db", str(path), "--case", reference, "--html", str(html), "--signed"]) == 0
    assert "Signed by Edna on 02/03/2026 11:30" in html.read_text(encoding="utf-8")


def test_print_size_and_output_errors(db: tuple[Path, str], tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    path, reference = db
    assert main(["pack", "--db", str(path), "--case", reference, "--out", str(tmp_path / "x.pdf"), "--signed",
                 "--large-print"]) == 1
    assert "print size it was signed in" in capsys.readouterr().err
    assert main(["pack", "--db", str(path), "--case", reference]) == 1
    assert "--out FILE.pdf, --html FILE.html" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["pack", "--db", str(path), "--case", reference, "--out", "x.pdf", "--large-print", "--standard-print"])
