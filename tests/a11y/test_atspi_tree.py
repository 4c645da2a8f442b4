"""The accessible tree as a screen reader meets it: the app is started with QT_ACCESSIBILITY=1 under
a private Xvfb with a session D-Bus and the AT-SPI registry, and every main screen and dialog is
walked (``app_driver.py``, which asks ``atspi_walk.py`` for the AT-SPI side), the message boxes
included. The test fails on an interactive object without a name, or named by a whole paragraph, a
label whose name is not its text, a focusable filler or unknown object, a table whose Tab does not
leave it, and a control that Tab never reaches.

It is skipped only when the system tools (Xvfb, dbus-daemon, at-spi2-core, python3-pyatspi) are
missing; ``scripts/setup.sh test`` installs them, so in CI it runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from xsession import missing_tools, x_and_dbus  # noqa: E402

from heart_desktop.store import DEMO_PASSPHRASE, Store, demo  # noqa: E402

REASON = missing_tools()
pytestmark = pytest.mark.skipif(REASON is not None, reason=f"AT-SPI test cannot run: {REASON}")

PROBLEM_KINDS = ("nameless", "filler_interactive", "label_not_text", "qt_label_not_text", "combo_without_caption",
                 "name_is_a_paragraph")


def problems_by_screen(report: list[dict[str, object]]) -> dict[str, dict[str, list[str]]]:
    """Every problem the driver found, by screen and kind (empty kinds left out)."""
    found: dict[str, dict[str, list[str]]] = {}
    for entry in report:
        screen = str(entry["screen"])
        atspi = entry.get("atspi") or {}
        assert isinstance(atspi, dict)
        if "error" in atspi:
            found.setdefault(screen, {})["walker_error"] = [str(atspi["error"])]
            continue
        kinds = dict(atspi.get("problems", {}))
        kinds["qt_label_not_text"] = list(entry.get("qt_labels", []))  # type: ignore[arg-type]
        kinds["tab_traps"] = list(entry.get("tab_traps", []))  # type: ignore[arg-type]
        kinds["unreachable"] = list(entry.get("unreachable", []))  # type: ignore[arg-type]
        kept = {kind: items for kind, items in kinds.items() if items}
        if kept:
            found[screen] = kept
    return found


def run_tour(work: Path, label: str, extra_env: dict[str, str]) -> list[dict[str, object]]:
    """Run the driver through every screen under a private X server and session bus; its report.
    ``HEART_A11Y_SHOTS`` (a folder) keeps a screenshot of each screen, ``HEART_A11Y_REPORT`` the report."""
    store = work / "demo.heartdb"
    if not store.exists():
        with Store.open(store, DEMO_PASSPHRASE, officer="Test officer", create=True) as opened:
            demo.generate(opened, 40, seed=7)
            demo.record_demo_appeals(opened)  # an appeal at each stage, for the appeal dialogs
    report = work / f"report-{label}.json"
    shots = os.environ.get("HEART_A11Y_SHOTS")
    args = [sys.executable, str(HERE / "app_driver.py"), str(store), str(report)]
    args += [str(Path(shots) / label)] if shots else []
    with x_and_dbus() as env:
        env["PYTHONPATH"] = os.pathsep.join([str(HERE.parent.parent), env.get("PYTHONPATH", "")])
        env.update(extra_env)
        done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=900, check=False)
    assert report.exists(), f"the driver wrote no report: {done.stdout[-2000:]} {done.stderr[-4000:]}"
    result = json.loads(report.read_text(encoding="utf-8"))
    assert done.returncode == 0, f"driver failed: {done.stderr[-4000:]}"
    out = os.environ.get("HEART_A11Y_REPORT")
    if out:
        Path(f"{out}.{label}.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    return result


@pytest.fixture(scope="module")
def work_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("atspi")


@pytest.fixture(scope="module")
def tour_report(work_dir: Path) -> list[dict[str, object]]:
    return run_tour(work_dir, "normal", {})


def test_every_main_screen_and_dialog_was_walked(tour_report: list[dict[str, object]]) -> None:
    screens = {str(entry["screen"]) for entry in tour_report}
    for expected in ("unlock", "caseload", "new enquiry", "new enquiry refused", "print queue", "conflicts",
                     "waiting lists", "sign dialog", "edit details", "assign officer", "reports",
                     "photo viewer", "letter sign dialog", "satisfaction survey", "access history",
                     "form cannot complete", "office connection", "export audit", "appeal lodge", "appeal answer",
                     "appeal decide", "appeal escalate", "appeal outcome", "anonymised report",
                     "unlock wrong passphrase", "sanction from the waiting list", "sanction from the case",
                     "urgency", "urgency refused", "box: store will not open", "box: confirm import",
                     "box: photo source", "box: unexpected error"):
        assert expected in screens, f"{expected} not walked; walked: {sorted(screens)}"
    assert sum(1 for s in screens if s.startswith("case: ")) >= 6
    for entry in tour_report:
        atspi = entry["atspi"]
        assert isinstance(atspi, dict) and "error" not in atspi, entry
        assert atspi["counts"]["focusable"] > 0, f"{entry['screen']}: AT-SPI saw nothing focusable"


def test_no_screen_has_an_accessibility_problem(tour_report: list[dict[str, object]]) -> None:
    found = problems_by_screen(tour_report)
    assert found == {}, json.dumps(found, indent=1)


def misfits(report: list[dict[str, object]]) -> list[str]:
    return [f"{e['screen']}: {e['fit']}" for e in report if not e["fit"]["fits"]]  # type: ignore[index]


def test_every_screen_fits_1366x768(tour_report: list[dict[str, object]]) -> None:
    assert misfits(tour_report) == []


@pytest.mark.parametrize(("label", "extra_env"), [("scale150", {"QT_SCALE_FACTOR": "1.5"}),
                                                  ("font16pt", {"HEART_FONT_PT": "16"}),
                                                  ("scale150_font16pt", {"QT_SCALE_FACTOR": "1.5",
                                                                         "HEART_FONT_PT": "16"})])
def test_every_screen_fits_at_150_percent_and_with_a_16pt_font(work_dir: Path, label: str,
                                                               extra_env: dict[str, str]) -> None:
    """The window and every dialog within the available screen, and nothing on them scrolling
    sideways (a page, a scroll area, a list or tree): content scrolls down, rows wrap. Both at once
    is the hardest: 1366x768 at 150% leaves 911x512 logical pixels for 16 pt text. The 16 pt font
    really used (the stylesheet no longer overrides it)."""
    report = run_tour(work_dir, label, {**extra_env, "HEART_A11Y_FIT_ONLY": "1"})
    assert len(report) >= 15
    screens = {str(entry["screen"]) for entry in report}
    for main in ("caseload", "today", "waiting lists", "reports", "conflicts", "print queue"):
        assert main in screens, f"{main} not measured; measured: {sorted(screens)}"
    assert sum(1 for s in screens if s.startswith("case: ")) >= 10  # every tab of a case
    if "QT_SCALE_FACTOR" in extra_env:
        assert {tuple(e["fit"]["available"]) for e in report} == {(911, 512)}  # type: ignore[index]
    assert misfits(report) == []
    if "HEART_FONT_PT" in extra_env:
        assert {e["fit"]["font_pt"] for e in report} == {16.0}  # type: ignore[index]


def test_a_message_is_announced_on_the_accessibility_bus(work_dir: Path) -> None:
    """Orca's side of an announcement: a wrong passphrase's message reaches the AT-SPI bus as an
    ``object:announcement`` carrying the words shown (``QAccessibleAnnouncementEvent`` from
    ``ui.labels.announce``), heard by a listener in another process."""
    result = run_tour(work_dir, "announce", {"HEART_A11Y_ANNOUNCE": "1"})
    shown = " ".join(str(result["shown"]).split())  # type: ignore[call-overload]
    assert "does not unlock" in shown or "passphrase" in shown.lower(), result
    heard = [entry["text"] for entry in result["heard"]]  # type: ignore[index, union-attr]
    assert shown in heard, result
