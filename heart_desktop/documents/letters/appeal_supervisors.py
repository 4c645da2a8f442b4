"""The Supervisors Panel's decision (policy 12.11 to 12.13): granted, with what happens now (12.19)
and the assistance offered if recorded (12.21); refused, with the reasons and the right to take the
appeal to the Senior Management Panel (12.6, 12.12); or the further information it needs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from heart_desktop.documents.letters.appeal_common import panel_letter, panel_refusal
from heart_desktop.documents.letters.facts import CaseFacts
from heart_desktop.documents.letters.model import LetterData
from heart_desktop.domain.appeals import SUPERVISORS

KIND = "appeal_supervisors"
TITLE = "Supervisors Panel decision"


def refusal(facts: CaseFacts, options: Mapping[str, Any] | None = None) -> str | None:
    return panel_refusal(facts, options, SUPERVISORS, "Supervisors Panel")


def compose(facts: CaseFacts, options: Mapping[str, Any] | None = None) -> LetterData:
    return panel_letter(facts, options, KIND, SUPERVISORS)
