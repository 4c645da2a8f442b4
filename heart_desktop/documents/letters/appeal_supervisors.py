"""The Supervisors Panel's decision (policy 12.11 to 12.13): granted, with what happens now (12.19)
and the assistance offered if recorded (12.21); refused, with the reasons and the right to take the
appeal to the Senior Management Panel (12.6, 12.12); or the further information it needs."""

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
from heart_desktop.domain.appeals import SUPERVISORS

KIND = "appeal_supervisors"
TITLE = "Supervisors Panel decision"


def refusal(facts: CaseFacts, options: Mapping[str, Any] | None = None) -> str | None:
    appeal = chosen(facts, options)
    if appeal is None:
        return no_appeal(facts, options)
    if last_of(appeal, SUPERVISORS) is None:
        return "the Supervisors Panel has not decided the appeal: record its decision first"
    return None


def compose(facts: CaseFacts, options: Mapping[str, Any] | None = None) -> LetterData:
    appeal = chosen(facts, options)
    assert appeal is not None
    entry = last_of(appeal, SUPERVISORS)
    assert entry is not None
    holds, values = decision_facts(facts, rules_for(appeal), appeal, entry)
    return compose_letter(facts, KIND, values, holds, {"reasons": reasons_block(str(entry.get("reasons") or ""))},
                          about={"appeal": appeal.get("id"), "panel": SUPERVISORS,
                                 "decided_on": entry.get("decided_on"), "decision": entry.get("decision")})
