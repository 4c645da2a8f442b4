"""Completion and certification (policy 4.1.14, 4.1.18, 4.1.19, 5.9): the certified date, the charge
on the home and when it ends, the occupation condition, and for lifts and similar equipment the
maintenance agreement and the council's first right to recover it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from heart_desktop.documents.letters.compose import compose_letter
from heart_desktop.documents.letters.facts import CaseFacts
from heart_desktop.documents.letters.model import LetterData
from heart_desktop.domain.dates import add_years

KIND = "completion"
TITLE = "Completion and certification"


def refusal(facts: CaseFacts, options: Mapping[str, Any] | None = None) -> str | None:
    if not facts.stage_dates.get("works_complete"):
        return "the works are not certified complete: record the certified date first"
    return None


def has_equipment(facts: CaseFacts) -> bool:
    words = facts.wording.equipment_words
    return any(w in (item.description or "").lower() for item in facts.pack.works for w in words)


def compose(facts: CaseFacts, options: Mapping[str, Any] | None = None) -> LetterData:
    certified: date = facts.stage_dates["works_complete"]  # type: ignore[assignment]
    decision = facts.pack.decision
    charge = decision.award.repayable_charge if decision is not None else 0
    holds = {"charge"} if charge else set()
    if facts.pack.tenure == "owner":
        holds.add("owner")
    if has_equipment(facts):
        holds.add("equipment")
    values = {"certified_on": facts.day(certified), "charge": facts.money(charge),
              "charge_expires": facts.day(add_years(certified, facts.policy.count("dfg.repayable_years")))}
    return compose_letter(facts, KIND, values, holds)
