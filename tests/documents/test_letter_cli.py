"""``heart-desktop letter``: a preview, a signed letter (frozen, logged), JSON, and plain refusals."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from cases import make_case
from pdftext import page_texts

from heart_desktop.cli import main
from heart_desktop.store import Store

PASSPHRASE = "cli letter tests"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    path = tmp_path / "cli.heartdb"
    with Store.open(path, PASSPHRASE, create=True, kdf_iter=None, officer="Priya Officer") as store:
        case_id = make_case(store, photos=0)
        reference = store.cases.get(case_id)["reference"]
    monkeypatch.setenv("HEART_PASSPHRASE", PASSPHRASE)
    return path, reference


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_a_preview_is_written_and_nothing_is_stored(db: tuple[Path, str], tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    path, reference = db
    out = tmp_path / "ack.pdf"
    report = run_json(capsys, "letter", "--db", str(path), "--case", reference, "--kind", "acknowledgement",
                      "--out", str(out), "--today", "2026-03-05", "--json")
    assert report["signed"] is False and report["document_id"] is None and report["addressee"] == "Edna Fairweather"
    assert report["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest() and report["pages"] == 1
    assert "We received your enquiry on 5 January 2026" in " ".join(page_texts(out.read_bytes()))
    with Store.open(path, PASSPHRASE) as store:
        assert not [d for d in store.documents.where() if d["kind"].startswith("letter_")]


def test_sign_freezes_the_letter_and_logs_it(db: tuple[Path, str], tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    path, reference = db
    out, html = tmp_path / "ack.pdf", tmp_path / "ack.html"
    report = run_json(capsys, "letter", "--db", str(path), "--case", reference, "--kind", "acknowledgement",
                      "--out", str(out), "--html", str(html), "--today", "2026-03-05", "--sign", "--json",
                      "--large-print")
    assert report["signed"] is True and report["version"] == 1 and report["print_size"] == "large"
    assert "We have received your enquiry" in html.read_text(encoding="utf-8")
    with Store.open(path, PASSPHRASE) as store:
        row = store.documents.get(report["document_id"])
        assert row["sha256"] == report["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
        contact = store.contacts.get(report["contact_id"])
        assert contact["kind"] == "letter" and contact["at"].startswith("2026-03-05")


def test_plain_refusals(db: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, _ = db
    out = str(tmp_path / "x.pdf")
    assert main(["letter", "--db", str(path), "--case", "WDC/26/99999", "--kind", "acknowledgement",
                 "--out", out]) == 1
    assert "there is no case WDC/26/99999" in capsys.readouterr().err
    assert main(["letter", "--db", str(path), "--case", "WDC/26/00001", "--kind", "acknowledgement"]) == 1
    assert "--out FILE.pdf" in capsys.readouterr().err


def test_a_decision_letter_is_refused_until_a_decision_is_recorded(db: tuple[Path, str], tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    path, reference = db
    out = tmp_path / "decision.pdf"
    assert main(["letter", "--db", str(path), "--case", reference, "--kind", "decision", "--out", str(out),
                 "--today", "2026-03-05"]) == 1
    assert "no decision on the application is recorded" in capsys.readouterr().err and not out.exists()


def test_the_demo_store_has_a_case_due_a_reminder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """The demo (seeded, its fixed as-of day) holds an approved case whose works must be completed
    within the reminder window, so ``letter --kind reminder`` works on it with the right date."""
    from datetime import timedelta

    from heart_desktop.documents.letters.decision import complete_by
    from heart_desktop.documents.letters.facts import from_store
    from heart_desktop.documents.letters.reminder import refusal
    from heart_desktop.store.demo import DEMO_AS_OF, DEMO_REMINDER_DAYS

    path = tmp_path / "demo.heartdb"
    monkeypatch.setenv("HEART_PASSPHRASE", PASSPHRASE)
    assert main(["demo", "--db", str(path), "--cases", "40", "--seed", "7"]) == 0
    capsys.readouterr()
    with Store.open(path, PASSPHRASE) as store:
        due = []
        for case_id, reference in store.conn.execute("SELECT id, reference FROM cases WHERE deleted = 0 AND "
                                                     "approval_on IS NOT NULL ORDER BY reference"):
            facts = from_store(store, case_id, DEMO_AS_OF, store.officer)
            if refusal(facts) is None:
                due.append((reference, complete_by(facts, facts.stage_dates["approval"])))
    finish = DEMO_AS_OF + timedelta(days=DEMO_REMINDER_DAYS)
    assert [f for _r, f in due] == [finish], due  # one case, and its works are due 30 days on
    reference = due[0][0]
    out = tmp_path / "reminder.pdf"
    report = run_json(capsys, "letter", "--db", str(path), "--case", reference, "--kind", "reminder",
                      "--out", str(out), "--today", DEMO_AS_OF.isoformat(), "--json")
    assert report["title"].startswith("Reminder") and report["signed"] is False
    text = " ".join(" ".join(page_texts(out.read_bytes())).split())
    assert "29 November 2026" in text and f"{DEMO_REMINDER_DAYS} days" in text, text
    assert f"Our reference: {reference}" in text
    # long before the completion date the case cannot have the reminder yet
    early = (finish - timedelta(days=200)).isoformat()
    assert main(["letter", "--db", str(path), "--case", reference, "--kind", "reminder", "--out", str(out),
                 "--today", early]) != 0
    assert "a reminder is sent from" in capsys.readouterr().err


def test_a_file_that_cannot_be_written_is_named(db: tuple[Path, str], tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """The letter and pack verbs write their files the same way (verbs.common.write_outputs)."""
    path, reference = db
    missing = tmp_path / "no-such-folder" / "x.pdf"
    for verb in (["letter", "--kind", "acknowledgement", "--today", "2026-03-05"], ["pack"]):
        assert main([verb[0], "--db", str(path), "--case", reference, *verb[1:], "--out", str(missing)]) != 0
        assert f"cannot write {missing}: No such file or directory" in capsys.readouterr().err
        assert not missing.exists()
