"""The life of a case: its stages in order, and the rule that their dates keep that order.

The stages are those whose dates policy 13.1 says the service records, in the order of the
partnership's timeline measures (KPM 10 to 17). The statutory clocks built on them (6 months to
determine, 12 months to complete) are in ``deadlines``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    source: str


STAGES: tuple[Stage, ...] = (
    Stage("enquiry", "Enquiry received", "13.1; KPM 10, 11"),
    Stage("telephone_assessment", "Telephone assessment", "KPM 11, 12"),
    Stage("visit", "Face-to-face assessment", "KPM 12, 13"),
    Stage("contractor_visit", "Contractor visit", "KPM 13, 14"),
    Stage("quotation", "Quotation received", "KPM 14, 15"),
    Stage("application", "Application submitted", "13.1"),
    Stage("approval", "Application determined (approved)", "13.1; KPM 15, 16"),
    Stage("works_start", "Works started", "13.1; KPM 16, 17"),
    Stage("works_complete", "Works complete (certified date)", "13.1; KPM 10, 17; definitions"),
    Stage("signed_off", "Signed off", "13.1"),
)

STAGE_KEYS: tuple[str, ...] = tuple(s.key for s in STAGES)
STAGE_LABELS: dict[str, str] = {s.key: s.label for s in STAGES}


class StageOrderError(ValueError):
    """Stage dates out of order, or an unknown stage."""


def current_stage(dates: Mapping[str, date | None]) -> str:
    """The latest stage that has a date (``enquiry`` when none has)."""
    reached = [key for key in STAGE_KEYS if dates.get(key)]
    return reached[-1] if reached else STAGE_KEYS[0]


def check_stage_dates(dates: Mapping[str, date | None], today: date | None = None) -> None:
    """Refuse a set of stage dates that runs backwards or into the future.

    Stages may be skipped (not every case has a telephone assessment), but no recorded stage
    may be dated before an earlier recorded one: no approval before the application.
    """
    unknown = set(dates) - set(STAGE_KEYS)
    if unknown:
        raise StageOrderError(f"unknown stage {sorted(unknown)[0]!r}; known: {', '.join(STAGE_KEYS)}")
    previous: tuple[str, date] | None = None
    for key in STAGE_KEYS:
        when = dates.get(key)
        if when is None:
            continue
        if today is not None and when > today:
            raise StageOrderError(
                f"{STAGE_LABELS[key]} is dated {when:%d/%m/%Y}, which is in the future"
            )
        if previous is not None and when < previous[1]:
            raise StageOrderError(
                f"{STAGE_LABELS[key]} ({when:%d/%m/%Y}) cannot be before "
                f"{STAGE_LABELS[previous[0]]} ({previous[1]:%d/%m/%Y})"
            )
        previous = (key, when)
