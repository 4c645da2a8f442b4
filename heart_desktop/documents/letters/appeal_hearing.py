"""The appeal escalated to the Senior Management Panel (policy 12.6, 12.15, 12.16): the Supervisors
Panel's reasons for refusing it, the implications of a positive decision and the further
information that would help (12.15), and the invitation to the hearing (with a representative if
the appellant wishes) or the written hearing they asked for (12.16)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from heart_desktop.documents.letters.appeal_common import (
    chosen,
    last_of,
    no_appeal,
    panel_values,
    reasons_block,
    rules_for,
)
from heart_desktop.documents.letters.compose import compose_letter
from heart_desktop.documents.letters.facts import CaseFacts
from heart_desktop.documents.letters.model import LetterData
from heart_desktop.domain.appeals import ATTENDS, SUPERVISORS

KIND = "appeal_hearing"
TITLE = "Hearing invitation (Senior Management Panel)"


def refusal(facts: CaseFacts, options: Mapping[str, Any] | None = None) -> str | None:
    appeal = chosen(facts, options)
    if appeal is None:
        return no_appeal(facts, options)
    escalation = appeal.get("escalation")
    if not escalation:
        return "the appeal is not escalated to the Senior Management Panel: record the escalation first"
    if escalation.get("hearing") == ATTENDS and not escalation.get("hearing_on"):
        return "the hearing has no date yet: record the hearing date first"
    return None


def compose(facts: CaseFacts, options: Mapping[str, Any] | None = None) -> LetterData:
    appeal = chosen(facts, options)
    assert appeal is not None
    escalation = dict(appeal.get("escalation") or {})
    refused = last_of(appeal, SUPERVISORS) or {}
    rep = str(escalation.get("representative") or "")
    holds = {str(escalation.get("hearing"))}
    holds |= {k for k in ("implications", "information") if escalation.get(k)}
    heard = escalation.get("hearing_on")
    values = {**panel_values(rules_for(appeal)), "escalated_on": facts.day(escalation.get("escalated_on")),
              "refused_on": facts.day(refused.get("decided_on")), "hearing_on": facts.day(heard),
              "hearing_on_words": f" on {facts.day(heard)}" if heard else "",
              "representative": f"; you told us {rep} will come with you" if rep else "",
              "implications": str(escalation.get("implications") or "").rstrip("."),
              "information": str(escalation.get("information") or "").rstrip(".")}
    reasons = str(escalation.get("refusal_reasons") or refused.get("reasons") or "")
    return compose_letter(facts, KIND, values, holds, {"reasons": reasons_block(reasons)},
                          about={"appeal": appeal.get("id"), "hearing": escalation.get("hearing"),
                                 "hearing_on": heard})
