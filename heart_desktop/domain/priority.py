"""Urgent cases (policy 9.1): the grounds an OT assessment gives for handling a case out of turn.

Enquiries are taken in the order they arrive, except that, *with the agreement of a HEART senior
supervisor*, a case must be treated as urgent when the customer could not remain at home safely
unless the works are expedited, when the works are needed for discharge from hospital, nursing or
residential care, or when the property is an immediate and significant danger to the occupants
or visitors. So the software finds the grounds; a person agrees; only then is the case urgent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SECTION = "9.1"


@dataclass(frozen=True)
class Ground:
    flag: str  # the case's priority flag
    reason: str  # as the officer and the supervisor read it


# OT needs assessment answer -> the ground it gives (wording follows policy 9.1)
GROUNDS: tuple[tuple[str, Ground], ...] = (
    ("hospital_discharge", Ground("hospital_discharge",
                                  "works are needed for discharge from hospital, nursing or residential care")),
    ("unable_to_remain_safely", Ground("unable_to_remain_safely",
                                       "the customer cannot remain at home safely unless the works are expedited")),
    ("immediate_danger", Ground("immediate_danger",
                                "the property is an immediate and significant danger to the occupants or visitors")),
)


def urgency_grounds(ot_answers: Mapping[str, Any]) -> list[Ground]:
    """The 9.1 grounds the OT's answers give (an answer must be a plain yes: ``True``)."""
    return [ground for key, ground in GROUNDS if ot_answers.get(key) is True]


def urgent_reason(grounds: list[Ground], agreed_by: str) -> str:
    """The case's urgent reason, naming the grounds and who agreed, with the policy section."""
    if not grounds:
        raise ValueError("there are no grounds for urgency (policy 9.1)")
    if not agreed_by.strip():
        raise ValueError("urgency needs the agreement of a HEART senior supervisor (policy 9.1)")
    said = "; ".join(ground.reason for ground in grounds)
    return f"{said[0].upper()}{said[1:]}. Agreed by {agreed_by.strip()} (policy {SECTION})."
