"""The HHSRS assessment widget: judge a hazard with the keyboard and see the band change."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from heart_desktop.domain import hhsrs
from heart_desktop.ui.hhsrs_editor import HhsrsAssessment


def choose(qtbot: QtBot, combo, value: float) -> None:
    """Pick a value in a combo box with the keyboard, as an officer tabbing through would."""
    combo.setFocus()
    target = combo.findData(value)
    assert target >= 0, value
    while combo.currentIndex() < target:
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    while combo.currentIndex() > target:
        qtbot.keyClick(combo, Qt.Key.Key_Up)


def test_2006_scheme_lists_29_hazards_in_four_groups(qtbot: QtBot) -> None:
    widget = HhsrsAssessment(hhsrs.scheme_for(date(2026, 3, 1)))
    qtbot.addWidget(widget)
    assert widget.tree.topLevelItemCount() == 4
    assert sum(widget.tree.topLevelItem(i).childCount() for i in range(4)) == 29


def test_scoring_a_hazard_changes_band_and_category(qtbot: QtBot) -> None:
    widget = HhsrsAssessment(hhsrs.scheme_for(date(2026, 3, 1)))
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    changes: list[dict] = []
    widget.changed.connect(changes.append)
    widget.select_hazard("falls_on_stairs")
    editor = widget.editor
    qtbot.mouseClick(editor.assessed, Qt.MouseButton.LeftButton)
    choose(qtbot, editor.likelihood, 100.0)
    choose(qtbot, editor.classes[0], 2.2)
    choose(qtbot, editor.classes[1], 10.0)
    choose(qtbot, editor.classes[2], 21.5)
    # (10000*2.2 + 1000*10 + 300*21.5 + 10*66.3) / 100 = 391.1 -> band E, category 2
    assert editor.result.text() == "Score 391 - band E - category 2 hazard"
    assert editor.remainder.text() == "66.3%"
    choose(qtbot, editor.likelihood, 18.0)
    assert editor.result.text() == "Score 2173 - band B - category 1 hazard"  # 391.1 x 100 / 18
    assert "category 1" in widget.summary.text() and widget.summary.text().startswith("1 hazard")
    assert changes[-1]["falls_on_stairs"]["likelihood"] == 18.0
    assert "(cat 1)" in widget._items["falls_on_stairs"].text(1)


def test_harm_over_100_is_refused_with_the_reason(qtbot: QtBot) -> None:
    widget = HhsrsAssessment(hhsrs.scheme_for(date(2026, 3, 1)))
    qtbot.addWidget(widget)
    widget.set_answers({"excess_cold": {"assessed": True, "likelihood": 320, "harm": [100, 10, 0]}})
    widget.select_hazard("excess_cold")
    assert widget.editor.result.text().startswith("Cannot score yet:")
    assert "100" in widget.editor.result.text()


def test_2026_scheme_says_what_is_not_confirmed_and_takes_typed_likelihood(qtbot: QtBot) -> None:
    scheme = hhsrs.scheme_for(date(2026, 7, 1))
    widget = HhsrsAssessment(scheme)
    qtbot.addWidget(widget)
    labels = [w.text() for w in widget.findChildren(QLabel)
              if w.accessibleDescription() == "Scheme data warning"]
    assert labels and "not yet confirmed" in labels[0].lower()
    first = scheme.hazards[0].key
    widget.set_answers({first: {"assessed": True, "likelihood": 50, "harm": [10, 20, 30]}})
    widget.select_hazard(first)
    assert widget.editor.result.text().startswith("Score ")
    assert any(band in widget.editor.result.text() for band in ("High", "Medium", "Low"))


def test_caveat_is_shown_whole(qtbot: QtBot) -> None:
    scheme = hhsrs.scheme_for(date(2026, 7, 1))
    widget = HhsrsAssessment(scheme)
    qtbot.addWidget(widget)
    label = next(w for w in widget.findChildren(QLabel) if w.accessibleDescription() == "Scheme data warning")
    for caveat in scheme.unknown_tables:
        if "(unknown)" in caveat or "(unconfirmed)" in caveat:
            assert caveat in label.text()  # never cut off mid-sentence


def test_ticking_assessed_with_untouched_defaults_gives_no_score(qtbot: QtBot) -> None:
    for day in (date(2026, 3, 1), date(2026, 7, 1)):  # a likelihood scale of points, and a typed one
        widget = HhsrsAssessment(hhsrs.scheme_for(day))
        qtbot.addWidget(widget)
        widget.show()
        qtbot.waitExposed(widget)
        changes: list[dict] = []
        widget.changed.connect(changes.append)
        editor = widget.editor
        editor.assessed.setFocus()
        qtbot.keyClick(editor.assessed, Qt.Key.Key_Space)
        assert editor.assessed.isChecked()
        assert not editor.result.text().startswith("Score"), editor.result.text()
        assert "enter the likelihood" in editor.result.text()
        key = editor.hazard.key
        assert changes[-1][key]["likelihood"] is None and changes[-1][key]["harm"] == [None, None, None]
        assert widget.ratings() == {}
        assert "0 hazard(s) scored" in widget.summary.text()
