"""Clearing independent medical advice (policy 12.14) rather than recording it again over the top:
``appeal advice --clear --reason TEXT``, its refusals (exit 2 naming the flag or field), the JSON, the
audit entry with its reason, the case note, and the panel letter no longer speaking of advice."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdftext import page_texts
from test_appeal_cli import PASSPHRASE, SPECIAL_CLAIMED, SPECIAL_NOT, TODAY, db, refused, run

from heart_desktop.cli import main
from heart_desktop.store import Store

__all__ = ["db"]  # the store fixture, shared with the appeal verbs' tests
WHY = "asked for in error: the GP letter already answers the medical criterion"


def test_appeal_advice_clear(db: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, ref = db
    where = ("--db", str(path), "--case", ref)
    run(capsys, "appeal", "new", *where, "--kind", "special", "--grounds", "A stairlift is the only safe way up",
        "--lodged-on", "2026-03-06")
    for key in SPECIAL_CLAIMED:
        run(capsys, "appeal", "answer", *where, "--criterion", key, "--evidence", "GP letter: two falls on the stairs")
    for key in SPECIAL_NOT:
        run(capsys, "appeal", "answer", *where, "--criterion", key, "--not-claimed")
    clear = ("appeal", "advice", *where, "--clear")
    assert "nothing to clear" in refused(capsys, *clear, "--reason", WHY)
    assert "--from: needed to record the advice (or --clear" in refused(
        capsys, "appeal", "advice", *where, "--requested-on", "2026-03-09")
    ask = ("appeal", "advice", *where, "--requested-on", "2026-03-09", "--from", "independent occupational health "
           "adviser")
    assert run(capsys, *ask, "--cost", "180")["appeal"]["medical_advice"]["cost"] == "180.00"
    assert "--reason: goes with --clear" in refused(capsys, *ask, "--reason", WHY)
    assert "--clear: it clears the advice; leave out --requested-on" in refused(
        capsys, *clear, "--requested-on", "2026-03-09", "--reason", WHY)
    assert "reason: say why the advice is cleared" in refused(capsys, *clear)
    assert "reason: say why" in refused(capsys, *clear, "--reason", "error")  # too short to read
    with Store.open(path, PASSPHRASE) as store:
        case_id = store.cases.by_reference(ref)["id"]
        assert "advice" in store.appeals.for_case(case_id)[0]["answers"]["medical_condition"]  # nothing lost

    cleared = run(capsys, *clear, "--reason", WHY)["appeal"]
    assert cleared["medical_advice"] is None
    with Store.open(path, PASSPHRASE) as store:
        answer = store.appeals.for_case(case_id)[0]["answers"]["medical_condition"]
        entry = next(e for e in store.audit.read(case_id) if e["entity"] == "appeal")
        notes = [n["body"] for n in store.notes.where("case_id = ?", (case_id,))]
    assert "advice" not in answer and answer["claimed"] is True and answer["evidence"]  # the answer stays
    assert entry["action"] == "change" and entry["detail"]["appeal"] == "advice_cleared" and entry["reason"] == WHY
    assert any(f"Independent medical advice cleared on 20/03/2026 (asked for on 09/03/2026 from independent "
               f"occupational health adviser): {WHY}" in n for n in notes), notes
    assert "nothing to clear" in refused(capsys, *clear, "--reason", WHY)

    run(capsys, "appeal", "decide", *where, "--panel", "supervisors", "--decision", "refused", "--reasons",
        "The risk is not immediate on the evidence", "--on", "2026-03-13")
    out = tmp_path / "supervisors.pdf"
    assert main(["letter", "--db", str(path), "--case", ref, "--kind", "appeal_supervisors", "--out", str(out),
                 *TODAY]) == 0
    assert "Independent medical advice" not in " ".join(page_texts(out.read_bytes()))
    # once the panel has decided, advice is neither recorded nor cleared
    assert "cannot record medical advice now" in refused(capsys, *ask)
    assert "cannot clear medical advice now" in refused(capsys, *clear, "--reason", WHY)
