"""The life of a case: its stages in order, and the rule that their dates keep that order.

The stages are those whose dates policy 13.1 says the service records, in the order of the
partnership's timeline measures (KPM 10 to 17). The statutory clocks built on them (6 months to
determine, 12 months to complete) are in ``deadlines``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from heart_desktop.domain.dates import add_months
from heart_desktop.domain.policy import Policy


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


def check_stage_dates(dates: Mapping[str, date | None], today: date | None = None,
                      early_start_reason: str = "") -> None:
    """Refuse a set of stage dates that runs backwards or into the future.

    Stages may be skipped (not every case has a telephone assessment), but no recorded stage
    may be dated before an earlier recorded one: no approval before the application. The one
    exception is the policy's own (4.1.7): works may start before approval with the written
    consent of an authorised officer, so with ``early_start_reason`` recorded the works-started
    date is checked against the stages before approval only.
    """
    unknown = set(dates) - set(STAGE_KEYS)
    if unknown:
        raise StageOrderError(f"unknown stage {sorted(unknown)[0]!r}; known: {', '.join(STAGE_KEYS)}")
    previous: tuple[str, date] | None = None
    before_approval: tuple[str, date] | None = None
    for key in STAGE_KEYS:
        when = dates.get(key)
        if when is None:
            continue
        if today is not None and when > today:
            raise StageOrderError(
                f"{STAGE_LABELS[key]} is dated {when:%d/%m/%Y}, which is in the future"
            )
        against = previous
        if key == "works_start" and early_start_reason.strip() and previous and previous[0] == "approval":
            against = before_approval
        if against is not None and when < against[1]:
            hint = (" (works started before approval need the written consent recorded, policy 4.1.7)"
                    if key == "works_start" and against[0] == "approval" else "")
            raise StageOrderError(
                f"{STAGE_LABELS[key]} ({when:%d/%m/%Y}) cannot be before "
                f"{STAGE_LABELS[against[0]]} ({against[1]:%d/%m/%Y}){hint}"
            )
        if key == "approval":
            before_approval = previous
        if previous is None or when >= previous[1]:
            previous = (key, when)


# --- statutory clocks ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Clock:
    """A statutory period: it runs from one stage and is stopped by another."""

    key: str
    label: str
    starts: date
    due: date
    section: str
    stopped: date | None = None

    def days_left(self, today: date) -> int:
        return (self.due - today).days

    def state(self, today: date, warn_days: int) -> str:
        """'met', 'missed' (stopped late), 'over', 'warn' or 'ok'."""
        if self.stopped is not None:
            return "met" if self.stopped <= self.due else "missed"
        left = self.days_left(today)
        if left < 0:
            return "over"
        return "warn" if left <= warn_days else "ok"


MANDATORY = frozenset({"DFG", "DDFA"})  # a DFG application (DDFA tops one up, 4.2.5): the statutory clock


def determination_applies(applied_for: str | None) -> bool:
    """The six-month determination is the statute's for a mandatory DFG only (13.1); HEART's own
    discretionary assistance (HDG, HSG, WaSH) has no such clock."""
    return (applied_for or "DFG") in MANDATORY


def statutory_clocks(dates: Mapping[str, date | None], policy: Policy, applied_for: str | None = "DFG",
                     refused_on: date | None = None, extension_to: date | None = None) -> list[Clock]:
    """The 6-month determination clock (13.1, for a DFG application), stopped by the approval or a
    refusal (``refused_on``: a refusal determines the application too), and the 12-month completion
    clock (4.1.16), due on ``extension_to`` when the period was extended (13.2)."""
    clocks = []
    application = dates.get("application")
    if application and determination_applies(applied_for):
        months = policy.count("dfg.determination_months")
        stopped = dates.get("approval") or refused_on
        clocks.append(Clock("determine", f"Decide the application ({months} months)", application,
                            add_months(application, months), policy.section("dfg.determination_months"),
                            stopped))
    approval = dates.get("approval")
    if approval:
        months = policy.count("dfg.completion_months")
        due = add_months(approval, months)
        label = f"Complete the works ({months} months)"
        if extension_to is not None and extension_to > due:
            due, label = extension_to, f"Complete the works ({months} months, extended to {extension_to:%d/%m/%Y})"
        clocks.append(Clock("complete", label, approval, due, policy.section("dfg.completion_months"),
                            dates.get("works_complete")))
    return clocks


def completion_due(dates: Mapping[str, date | None], policy: Policy) -> date | None:
    """When the works must be complete without an extension (12 months from approval, 4.1.16)."""
    approval = dates.get("approval")
    return add_months(approval, policy.count("dfg.completion_months")) if approval else None


# --- what happened: the events that set the stage dates ------------------------------------------


@dataclass(frozen=True)
class Event:
    key: str
    label: str  # what happened, as the timeline says it
    stage: str  # the stage whose date it sets
    section: str


EVENTS: tuple[Event, ...] = (
    Event("enquiry_received", "Enquiry received at the duty desk", "enquiry", "5.1"),
    Event("telephone_assessment_done", "Telephone assessment done", "telephone_assessment", "5.5"),
    Event("visit_done", "Home visit done", "visit", "5.5"),
    Event("contractor_visit_done", "Contractor visited", "contractor_visit", "5.6"),
    Event("quotation_received", "Quotation received", "quotation", "5.6"),
    Event("pack_signed", "Application pack signed", "application", "5.5, 13.1"),
    Event("approved", "Application approved", "approval", "5.6, 13.1"),
    Event("works_started", "Works started", "works_start", "13.1"),
    Event("certified_complete", "Works certified complete", "works_complete", "13.1"),
    Event("signed_off", "Signed off", "signed_off", "13.1"),
)
EVENT_BY_KEY: dict[str, Event] = {e.key: e for e in EVENTS}
CORRECTED = "corrected"  # an officer's correction of a date, with its reason
# what an officer records by hand (the rest come from their own records: the visit's outcome, the
# signed pack, the decision of approval, the enquiry itself)
MANUAL_EVENTS: tuple[str, ...] = ("telephone_assessment_done", "contractor_visit_done", "quotation_received",
                                  "works_started", "certified_complete", "signed_off")


def event_dates(dates: Mapping[str, date | None], event: str, on: date, today: date,
                early_start_reason: str = "") -> dict[str, date | None] | None:
    """The stage dates after ``event`` happened ``on``: its stage takes the date when it has none yet
    (a second visit does not move the first visit's date; a correction does); None when nothing
    changes. Refuses (``StageOrderError``) a date out of order or in the future."""
    if event not in EVENT_BY_KEY:
        raise StageOrderError(f"unknown event {event!r}; known: {', '.join(EVENT_BY_KEY)}")
    stage = EVENT_BY_KEY[event].stage
    if dates.get(stage) is not None:
        return None
    proposed = {**dates, stage: on}
    check_stage_dates(proposed, today=today, early_start_reason=early_start_reason)
    return proposed


def still_to_do(stage: str, outcome: str | None, suspended: str | None, unfinished_forms: list[str],
                follow_ups: int) -> list[str]:
    """What is still to do on a case, shortest first, for the officer's day: the next stage, the
    visit forms left unfinished and the follow-ups due."""
    if outcome:
        return ["Closed: nothing to do"]
    todo: list[str] = []
    if suspended:
        todo.append("Suspended: nothing until it resumes")
    index = STAGE_KEYS.index(stage) if stage in STAGE_KEYS else 0
    if index + 1 < len(STAGE_KEYS):
        following = STAGES[index + 1]
        todo.append("Sign the application pack" if following.key == "application"
                    else f"Next: {following.label.lower()}")
    else:
        todo.append("Close the case with its outcome")
    todo += [f"Finish the {title}" for title in unfinished_forms]
    if follow_ups:
        todo.append(f"{follow_ups} follow-up{'s' if follow_ups != 1 else ''} due")
    return todo
