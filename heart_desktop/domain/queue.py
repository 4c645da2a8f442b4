"""The order cases are taken in (policy 9.1 to 9.3, 5.2): one rule for the waiting lists, the
allocation and the office.

Enquiries are considered in the order they were received (5.2, 9.1). Before that order come, in
turn: urgent cases, which a HEART senior supervisor agreed (9.1); cases taken out of order with
the written sanction of the Head of Service, the HEART Team Manager, the Private Sector Housing
Manager or a team leader (9.3); and, where resources are limited, vulnerable groups and
individuals (9.2). A specialist team's enquiries (Home Improvement Officers on WaSH grants, 9.1)
are a queue of their own in their own order. A suspended case keeps its place but is not taken
until it resumes (9.1 note on devolved budgets).

"Waiting for a stage" means a case is open and its latest stage is the one before it: a case
whose enquiry is in waits for its telephone assessment, one assessed by phone waits for a visit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from heart_desktop.domain.casework import STAGE_KEYS, STAGE_LABELS

ALLOCATION = "allocation"  # the queue of enquiries not yet allocated to an officer (5.5)
QUEUES: tuple[tuple[str, str], ...] = (
    (ALLOCATION, "Allocation to an officer (5.5)"),
    *((key, f"Waiting for: {STAGE_LABELS[key].lower()}") for key in STAGE_KEYS[1:]),
)
QUEUE_LABELS = dict(QUEUES)
MAIN, SPECIALIST = "main", "specialist"


@dataclass(frozen=True)
class Waiting:
    """What the order needs to know about one waiting case."""

    case_id: str
    reference: str
    enquiry_on: date | None
    urgent: bool = False
    sanctioned: bool = False  # taken out of order with a 9.3 sanction
    vulnerable: bool = False  # 9.2
    suspended: str | None = None


@dataclass(frozen=True)
class Place:
    case: Waiting
    position: int  # 1 for the next to be taken; suspended cases come after every other
    why: str


def stage_before(queue: str) -> str:
    """The stage a case waiting in ``queue`` has reached."""
    if queue == ALLOCATION:
        return STAGE_KEYS[0]
    if queue not in STAGE_KEYS[1:]:
        raise ValueError(f"unknown queue {queue!r}; known: {', '.join(k for k, _ in QUEUES)}")
    return STAGE_KEYS[STAGE_KEYS.index(queue) - 1]


def is_specialist(allocated_role: str | None, assistance: Iterable[str], specialist_role: str,
                  specialist_assistance: Iterable[str]) -> bool:
    """Whether a case is in the specialist team's queue (9.1): allocated to that role, or, not yet
    allocated, asking for the assistance that team deals with."""
    if allocated_role:
        return allocated_role == specialist_role
    return bool(set(assistance) & set(specialist_assistance))


def _key(case: Waiting, resources_short: bool) -> tuple[bool, bool, bool, bool, date, str]:
    return (case.suspended is not None, not case.urgent, not case.sanctioned,
            not (resources_short and case.vulnerable), case.enquiry_on or date.max, case.reference)


def _why(case: Waiting, resources_short: bool) -> str:
    if case.suspended is not None:
        return "suspended: not taken until it resumes (9.1)"
    if case.urgent:
        return "urgent, agreed by a senior supervisor (9.1)"
    if case.sanctioned:
        return "taken out of order with a written sanction (9.3)"
    if resources_short and case.vulnerable:
        return "a vulnerable group, first while resources are limited (9.2)"
    return "in order of the enquiry date (5.2, 9.1)"


def order(cases: Iterable[Waiting], resources_short: bool = False) -> list[Place]:
    """The cases in the order they are to be taken, each with its position and why it is there."""
    ranked = sorted(cases, key=lambda c: _key(c, resources_short))
    return [Place(case, index + 1, _why(case, resources_short)) for index, case in enumerate(ranked)]


def ahead_of(case_id: str, places: Sequence[Place]) -> list[Place]:
    """The cases to be taken before this one (suspended ones wait, so they are never ahead)."""
    ahead = []
    for place in places:
        if place.case.case_id == case_id:
            return ahead
        if place.case.suspended is None:
            ahead.append(place)
    return ahead
