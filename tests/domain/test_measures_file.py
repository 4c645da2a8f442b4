"""measures.toml names case outcomes by the casework process's keys: the outcomes are listed once."""

from pathlib import Path

import pytest

from heart_desktop.domain.measures import MeasuresError, load_measures
from heart_desktop.domain.policy import default_policy_dir
from heart_desktop.domain.process import process


def _shipped() -> Path:
    return default_policy_dir() / "measures.toml"


def test_every_outcome_a_measure_names_is_a_casework_outcome() -> None:
    measures = load_measures(_shipped())
    named = {c.value for m in measures.measures for c in m.where if c.column == "outcome" and c.op in ("is", "is_not")}
    assert named and named <= set(process().keys("outcomes"))


def test_a_measure_naming_an_unknown_outcome_is_refused(tmp_path: Path) -> None:
    text = _shipped().read_text(encoding="utf-8").replace('"outcome is completed"', '"outcome is finished"', 1)
    changed = tmp_path / "measures.toml"
    changed.write_text(text, encoding="utf-8")
    with pytest.raises(MeasuresError, match="'finished' is not a case outcome"):
        load_measures(changed)
