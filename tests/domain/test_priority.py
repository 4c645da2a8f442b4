"""Policy 9.1: the OT's answers give the grounds for urgency; a senior supervisor must agree."""

from __future__ import annotations

import pytest

from heart_desktop.domain.priority import urgency_grounds, urgent_reason


def test_each_ground_of_9_1_comes_from_its_answer() -> None:
    assert urgency_grounds({"hospital_discharge": False, "unable_to_remain_safely": False,
                            "immediate_danger": False}) == []
    grounds = urgency_grounds({"hospital_discharge": True, "unable_to_remain_safely": False,
                               "immediate_danger": True})
    assert [g.flag for g in grounds] == ["hospital_discharge", "immediate_danger"]
    assert urgency_grounds({"hospital_discharge": "yes"}) == []  # only a plain yes answer counts


def test_the_reason_names_the_grounds_and_who_agreed() -> None:
    grounds = urgency_grounds({"hospital_discharge": True})
    reason = urgent_reason(grounds, "  M. Senior ")
    assert reason.startswith("Works are needed for discharge from hospital")
    assert reason.endswith("Agreed by M. Senior (policy 9.1).")


@pytest.mark.parametrize(("answers", "agreed_by", "message"), [
    ({}, "M. Senior", "no grounds"),
    ({"immediate_danger": True}, " ", "senior supervisor"),
])
def test_urgency_is_refused_without_grounds_or_agreement(answers: dict, agreed_by: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        urgent_reason(urgency_grounds(answers), agreed_by)
