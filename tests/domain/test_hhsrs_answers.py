"""One conversion from an officer's hazard answer to a rating, in either shape the app holds it."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from heart_desktop.domain import hhsrs
from heart_desktop.domain.hhsrs_answers import from_answer, rate_answer, remainder, spread

SCHEME = hhsrs.scheme_for(date(2025, 3, 1))


def test_the_form_shape_and_the_widget_shape_read_the_same() -> None:
    form = {"assessed": True, "likelihood": "320", "class_i": "10", "class_ii": 21.5, "class_iii": "31.6"}
    widget = {"assessed": True, "likelihood": 320.0, "harm": [10, 21.5, 31.6]}
    assert from_answer(form) == from_answer(widget)
    assert rate_answer(form, SCHEME).score == pytest.approx(hhsrs.rate(320, [10, 21.5, 31.6], SCHEME).score)


@pytest.mark.parametrize("answer", [
    {"assessed": True, "likelihood": "0.5"},  # ticked, classes untouched
    {"assessed": True, "likelihood": "0.5", "class_i": "", "class_ii": "0", "class_iii": "0"},
    {"assessed": True, "likelihood": None, "harm": [0, 0, 0]},
    {"assessed": True, "likelihood": 10, "harm": [0, None, 0]},
])
def test_a_blank_stays_blank_no_score(answer: dict) -> None:
    assert not from_answer(answer).entered
    assert rate_answer(answer, SCHEME) is None


def test_not_assessed_has_no_rating_and_bad_figures_say_why() -> None:
    assert rate_answer({"assessed": False, "likelihood": 10, "harm": [10, 10, 10]}, SCHEME) is None
    with pytest.raises(hhsrs.RatingError, match="no more than"):
        rate_answer({"assessed": True, "likelihood": 10, "harm": [60, 30, 20]}, SCHEME)


def test_class_iv_is_the_remainder_of_the_schemes_own_total() -> None:
    assert remainder([10, 21.5, 31.6], SCHEME) == pytest.approx(36.9)
    assert remainder([10, None, 31.6], SCHEME) is None
    other = dataclasses.replace(SCHEME, harm_total=1000.0)  # a scheme counting in tenths of a percent
    assert remainder([100, 215, 316], other) == pytest.approx(369)
    assert spread([100, 215, 316], other) == (100, 215, 316, pytest.approx(369))
    assert spread([34, 6, 18, 42], SCHEME) == (34, 6, 18, 42)


def test_no_layer_writes_its_own_remainder() -> None:
    """The form definition and the pack ask the domain; neither subtracts from a literal 100."""
    root = Path(__file__).resolve().parents[2]
    form = (root / "forms" / "hhsrs_assessment.yaml").read_text(encoding="utf-8")
    report = (root / "heart_desktop" / "documents" / "hhsrs_report.py").read_text(encoding="utf-8")
    assert "calculate: 100 -" not in form and "compute: hhsrs.remainder" in form
    assert "100.0 - sum" not in report
