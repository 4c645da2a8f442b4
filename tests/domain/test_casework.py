"""Stage order and the statutory clocks."""

from __future__ import annotations

from datetime import date

import pytest

from heart_desktop.domain.casework import (
    STAGE_KEYS,
    StageOrderError,
    check_stage_dates,
    current_stage,
    statutory_clocks,
)
from heart_desktop.domain.policy import policy_for

POLICY = policy_for("WDC", date(2026, 1, 10))


def test_stages_follow_the_kpm_timeline() -> None:
    assert STAGE_KEYS[0] == "enquiry" and STAGE_KEYS[-1] == "signed_off"
    assert STAGE_KEYS.index("application") < STAGE_KEYS.index("approval") < STAGE_KEYS.index("works_start")


def test_skipped_stages_are_fine_but_order_is_kept() -> None:
    check_stage_dates({"enquiry": date(2026, 1, 5), "visit": date(2026, 1, 20), "application": date(2026, 2, 1)})
    with pytest.raises(StageOrderError, match=r"Application determined \(approved\) \(01/01/2026\) cannot be before "
                                              r"Application submitted \(01/02/2026\)"):
        check_stage_dates({"application": date(2026, 2, 1), "approval": date(2026, 1, 1)})


def test_future_dates_and_unknown_stages_are_refused() -> None:
    with pytest.raises(StageOrderError, match="in the future"):
        check_stage_dates({"enquiry": date(2027, 1, 1)}, today=date(2026, 11, 22))
    with pytest.raises(StageOrderError, match="unknown stage 'lunch'"):
        check_stage_dates({"lunch": date(2026, 1, 1)})


def test_current_stage() -> None:
    assert current_stage({}) == "enquiry"
    assert current_stage({"enquiry": date(2026, 1, 1), "approval": date(2026, 3, 1)}) == "approval"


def test_clocks_run_and_stop() -> None:
    clocks = statutory_clocks({"application": date(2026, 1, 10)}, POLICY)
    assert [c.key for c in clocks] == ["determine"]
    determine = clocks[0]
    assert determine.due == date(2026, 7, 10) and determine.section == "13.1"
    assert determine.state(date(2026, 5, 1), warn_days=30) == "ok"
    assert determine.state(date(2026, 6, 20), warn_days=30) == "warn"
    assert determine.state(date(2026, 7, 11), warn_days=30) == "over"
    assert determine.days_left(date(2026, 7, 1)) == 9
    done = statutory_clocks({"application": date(2026, 1, 10), "approval": date(2026, 8, 1),
                             "works_complete": date(2027, 3, 1)}, POLICY)
    assert [c.state(date(2027, 6, 1), 30) for c in done] == ["missed", "met"]
    assert done[1].due == date(2027, 8, 1)


@pytest.mark.parametrize(("applied_for", "clocks"), [
    ("DFG", ["determine", "complete"]), ("DDFA", ["determine", "complete"]), ("HDG", ["complete"]),
    ("HSG", ["complete"]), ("WaSH", ["complete"])])
def test_only_a_dfg_application_has_the_six_month_determination_clock(applied_for: str, clocks: list[str]) -> None:
    """13.1: the statutory six months is for mandatory DFG; the 12 months to complete is every award's."""
    dates = {"application": date(2026, 1, 10), "approval": date(2026, 2, 1)}
    assert [c.key for c in statutory_clocks(dates, POLICY, applied_for)] == clocks


def test_works_may_start_before_approval_only_with_the_consent_recorded() -> None:
    """Policy 4.1.7: the stage check accepts an early start when its written consent is recorded."""
    from heart_desktop.domain.casework import StageOrderError, check_stage_dates

    dates = {"application": date(2026, 3, 1), "approval": date(2026, 3, 20), "works_start": date(2026, 3, 10),
             "works_complete": date(2026, 4, 2)}
    with pytest.raises(StageOrderError, match=r"4\.1\.7"):
        check_stage_dates(dates)
    check_stage_dates(dates, early_start_reason="Emergency heating repair, consent by the HEART manager")
    with pytest.raises(StageOrderError):  # still not before the application
        check_stage_dates({**dates, "works_start": date(2026, 2, 1)}, early_start_reason="consent given")
    with pytest.raises(StageOrderError):  # and completion still follows approval
        check_stage_dates({**dates, "works_complete": date(2026, 3, 15)}, early_start_reason="consent given")
