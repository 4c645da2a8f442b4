"""The unlock window is drawn before the start-up work it does not need (the budget in DESIGN.md,
"Start-up and its budgets"; measured by ``bench/startup_bench.py``, never timed here). These tests
hold the structure that keeps it so: what is left until after the first paint, and the numbers
set through Qt's property system instead of Qt's enum namespace."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from heart_desktop.ui import first_paint, qt_values
from heart_desktop.ui.passphrase_page import path_lines


def test_the_numbers_set_before_the_first_paint_are_qts_own(qtbot: QtBot) -> None:
    assert Qt.FocusPolicy.NoFocus.value == qt_values.NO_FOCUS
    assert Qt.TextInteractionFlag.TextSelectableByMouse.value == qt_values.TEXT_SELECTABLE_BY_MOUSE
    widget, label = QWidget(), QLabel("Store: /tmp/a.heartdb")
    qtbot.addWidget(widget)
    qtbot.addWidget(label)
    qt_values.set_no_focus(widget)
    qt_values.set_selectable_by_mouse(label)
    assert widget.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert label.textInteractionFlags() == Qt.TextInteractionFlag.TextSelectableByMouse


def test_a_long_path_is_broken_after_its_separators_to_the_width(qtbot: QtBot) -> None:
    metrics = QFontMetrics(QFont())
    text = "Store: /home/officer/.local/share/heart-desktop/profiles/a-rather-long-profile-name.heartdb"
    width = metrics.horizontalAdvance("/home/officer/.local/share/")
    lines = path_lines(text, metrics, width)
    assert "".join(lines) == text  # nothing lost or added
    assert len(lines) > 2
    for line in lines[:-1]:
        assert line.endswith("/")
    for line in lines:  # each fits, unless it is one piece with no separator inside
        assert metrics.horizontalAdvance(line) <= width or line.count("/") <= 1
    assert path_lines(text, metrics, 10_000) == [text]
    assert path_lines("no-separator", metrics, 1) == ["no-separator"]
    assert path_lines(r"C:\Users\officer\store.heartdb", metrics, 10_000) == [r"C:\Users\officer\store.heartdb"]


def test_deferred_work_runs_once_just_after_the_first_paint(qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    runs: list[bool] = []
    first_paint.after_first_paint(widget, lambda: runs.append(widget.isVisible()))
    qtbot.wait(10)
    assert runs == []  # not before the widget is painted
    widget.show()
    qtbot.waitUntil(lambda: runs == [True], timeout=first_paint.FALLBACK_MS - 100)
    widget.update()
    qtbot.wait(first_paint.FALLBACK_MS + 100)
    assert runs == [True]  # once, whatever is painted later or whenever the fallback fires


def test_deferred_work_of_a_window_never_shown_still_runs(qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    runs: list[str] = []
    first_paint.after_first_paint(widget, lambda: runs.append("ran"))
    qtbot.waitUntil(lambda: runs == ["ran"], timeout=first_paint.FALLBACK_MS * 4)


def test_deferred_work_never_runs_after_its_window_is_gone(qtbot: QtBot) -> None:
    widget = QWidget()
    runs: list[str] = []
    first_paint.after_first_paint(widget, lambda: runs.append("ran"))
    widget.deleteLater()
    qtbot.wait(first_paint.FALLBACK_MS + 200)
    assert runs == []


PROBE = """
import json, sys
from pathlib import Path
import PySide6.QtCore as core
from heart_desktop.ui import first_paint

seen = {}
real_run = first_paint._FirstPaint.run
LATE = ("hashlib", "logging.handlers", "platformdirs", "heart_desktop.ui.focus_ring",
        "heart_desktop.formkit", "jsonschema", "httpx", "pydantic")

def run(self):
    if not seen:  # the moment after the unlock window's first paint, before its deferred work
        seen["qt_namespace_built"] = "Qt" in core.__dict__
        seen["loaded"] = sorted(name for name in LATE if name in sys.modules)
    real_run(self)

first_paint._FirstPaint.run = run
from heart_desktop.ui import app as ui_app

app, window, temp = ui_app.start(Path(sys.argv[1]))

def done():
    from heart_desktop.ui import focus_ring
    seen["ring"] = focus_ring.current() is not None
    seen["temp"] = [str(folder) for folder in temp]
    print("PROBE " + json.dumps(seen), flush=True)
    window.shutdown()
    app.quit()

core.QTimer.singleShot(1500, done)
app.exec()
"""


def test_the_unlock_window_is_painted_before_the_work_it_does_not_need(store_copy: Path, tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HEART_LOG_DIR": str(tmp_path / "log"),
           "HEART_TEMP_DIR": str(tmp_path / "tmp")}
    done = subprocess.run([sys.executable, "-c", PROBE, str(store_copy)], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    seen = json.loads(next(line for line in done.stdout.splitlines() if line.startswith("PROBE "))[6:])
    # building Qt's enum namespace (about 10 ms) and these modules wait until the window is drawn
    assert seen["qt_namespace_built"] is False
    assert seen["loaded"] == []
    # and then they come: the focus ring, the log file and the private temporary folder
    assert seen["ring"] is True
    assert seen["temp"] == [str(tmp_path / "tmp")]
    assert (tmp_path / "log" / "heart-desktop.log").exists()


# the modules the unlock window is built from: none may touch ``Qt`` at import or in code that runs
# before the first paint; where they use it later, the function imports it itself
UNLOCK_PATH_MODULES = ("app", "main_window", "passphrase_page", "screen_fit", "focus_style", "labels",
                       "first_paint", "qt_values", "idle_lock", "worker", "session", "data_changed",
                       "accessible_roles", "errors", "messages")


def _unguarded_qt_uses(source: str) -> list[int]:
    """Lines where the name ``Qt`` is read at run time outside a function that imports it, and
    where it is imported at module level outside ``if TYPE_CHECKING``."""
    tree = ast.parse(source)
    annotations: set[int] = set()
    guarded: set[int] = set()
    found: list[int] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            for arg in (*node.args.args, *node.args.kwonlyargs):
                if arg.annotation is not None:
                    annotations |= {id(part) for part in ast.walk(arg.annotation)}
            if node.returns is not None:
                annotations |= {id(part) for part in ast.walk(node.returns)}
            if any(isinstance(part, ast.ImportFrom) and any(alias.name == "Qt" for alias in part.names)
                   for part in ast.walk(node)):
                guarded |= {id(part) for part in ast.walk(node)}
        elif isinstance(node, ast.AnnAssign):
            annotations |= {id(part) for part in ast.walk(node.annotation)}
    for statement in tree.body:  # a module-level import of Qt (TYPE_CHECKING blocks are not run)
        if isinstance(statement, ast.ImportFrom) and any(alias.name == "Qt" for alias in statement.names):
            found.append(statement.lineno)
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == "Qt" and isinstance(node.ctx, ast.Load) \
                and id(node) not in annotations and id(node) not in guarded:
            found.append(node.lineno)
    return sorted(found)


def test_the_unlock_path_reads_qt_only_where_it_imports_it() -> None:
    folder = Path(first_paint.__file__).parent
    problems = {name: lines for name in UNLOCK_PATH_MODULES
                if (lines := _unguarded_qt_uses((folder / f"{name}.py").read_text(encoding="utf-8")))}
    assert problems == {}
    planted = "from PySide6.QtCore import Qt\n\ndef f():\n    return Qt.Key.Key_A\n"
    assert _unguarded_qt_uses(planted) == [1, 4]  # the check finds both kinds of use
    assert _unguarded_qt_uses("def f():\n    from PySide6.QtCore import Qt\n\n    return Qt.Key.Key_A\n") == []
