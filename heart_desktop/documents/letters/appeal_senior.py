"""The Senior Management Panel's decision (policy 12.16, 12.17): granted, with what happens now
(12.19) and the assistance offered (12.21); refused; or the further information it needs. Where the
decision is negative or conditional (a modified or special form with terms), the applicant's legal
rights (12.17)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from heart_desktop.documents.letters.appeal_common import (
    chosen,
    decision_facts,
    last_of,
    no_appeal,
    reasons_block,
    rules_for,
)
from heart_desktop.documents.letters.compose import compose_letter
from heart_desktop.documents.letters.facts import CaseFacts
from heart_desktop.documents.letters.model import LetterData
from heart_desktop.domain.appeals import ATTENDS, REFUSED, SENIOR

KIND = "appeal_senior"
TITLE = "Senior Management Panel decision"


def refusal(facts: CaseFacts, options: Mapping[str, Any] | None = None) -> str | None:
    appeal = chosen(facts, options)
    if appeal is None:
        return no_appeal(facts, options)
    if last_of(appeal, SENIOR) is None:
        return "the Senior Management Panel has not decided the appeal: record its decision first"
    return None


def compose(facts: CaseFacts, options: Mapping[str, Any] | None = None) -> LetterData:
    appeal = chosen(facts, options)
    assert appeal is not None
    entry = last_of(appeal, SENIOR)
    assert entry is not None
    holds, values = decision_facts(facts, rules_for(appeal), appeal, entry)
    escalation = appeal.get("escalation") or {}
    heard = escalation.get("hearing_on")
    if escalation.get("hearing") == ATTENDS:
        values["heard"] = f"held a hearing on {facts.day(heard)}" if heard else "held a hearing"
    else:
        values["heard"] = "heard your appeal in writing"
    if entry["decision"] == REFUSED or "conditional" in holds:
        holds.add("rights")
    return compose_letter(facts, KIND, values, holds, {"reasons": reasons_block(str(entry.get("reasons") or ""))},
                          about={"appeal": appeal.get("id"), "panel": SENIOR, "decided_on": entry.get("decided_on"),
                                 "decision": entry.get("decision")})
