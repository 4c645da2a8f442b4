"""The Senior Management Panel's decision (policy 12.16, 12.17): granted, with what happens now
(12.19) and the assistance offered (12.21); refused; or the further information it needs. Where the
decision is negative or conditional (a modified or special form with terms), the applicant's legal
rights (12.17)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from heart_desktop.documents.letters.appeal_common import panel_letter, panel_refusal
from heart_desktop.documents.letters.facts import CaseFacts
from heart_desktop.documents.letters.model import LetterData
from heart_desktop.domain.appeals import ATTENDS, REFUSED, SENIOR

KIND = "appeal_senior"
TITLE = "Senior Management Panel decision"


def refusal(facts: CaseFacts, options: Mapping[str, Any] | None = None) -> str | None:
    return panel_refusal(facts, options, SENIOR, "Senior Management Panel")


def _hearing_and_rights(facts: CaseFacts, appeal: Mapping[str, Any], entry: Mapping[str, Any],
                        holds: set[str], values: dict[str, str]) -> None:
    """How the panel heard the appeal (in writing or at a hearing), and the legal rights where it refused
    or set terms (12.17)."""
    escalation = appeal.get("escalation") or {}
    heard = escalation.get("hearing_on")
    if escalation.get("hearing") == ATTENDS:
        values["heard"] = f"held a hearing on {facts.day(heard)}" if heard else "held a hearing"
    else:
        values["heard"] = "heard your appeal in writing"
    if entry["decision"] == REFUSED or "conditional" in holds:
        holds.add("rights")


def compose(facts: CaseFacts, options: Mapping[str, Any] | None = None) -> LetterData:
    return panel_letter(facts, options, KIND, SENIOR, _hearing_and_rights)
