"""A reminder when the completion date approaches (policy 4.1.16, 13.2): the date the works must be
finished by, how long is left, and how to ask for more time. The case can have it from
``reminder_days_before`` (letters.toml) before that date until the works are certified."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from heart_desktop.documents.letters.compose import compose_letter
from heart_desktop.documents.letters.decision import complete_by
from heart_desktop.documents.letters.facts import CaseFacts
from heart_desktop.documents.letters.model import LetterData, table

KIND = "reminder"
TITLE = "Reminder of the completion date"


def _finish(facts: CaseFacts) -> date | None:
    approved = facts.stage_dates.get("approval")
    return complete_by(facts, approved) if approved else None


def refusal(facts: CaseFacts, options: Mapping[str, Any] | None = None) -> str | None:
    finish = _finish(facts)
    if finish is None:
        return "the application is not approved, so there is no completion date yet"
    if facts.stage_dates.get("works_complete"):
        return "the works are already certified complete"
    if facts.case.get("outcome"):
        return "the case is closed"
    days = (finish - facts.today).days
    if days > facts.wording.reminder_days_before:
        return (f"the completion date, {facts.day(finish)}, is {days} days away: a reminder is sent from "
                f"{facts.wording.reminder_days_before} days before it")
    return None


def compose(facts: CaseFacts, options: Mapping[str, Any] | None = None) -> LetterData:
    finish = _finish(facts)
    assert finish is not None
    approved: date = facts.stage_dates["approval"]  # type: ignore[assignment]
    days = (finish - facts.today).days
    left = f"{days} days" if days > 1 else ("1 day" if days == 1 else "already past")
    extended = facts.case.get("extension_to")
    values = {"approved_on": facts.day(approved), "complete_by": facts.day(finish), "days_left": left,
              "extended": (f", extended by agreement: {facts.case.get('extension_reason')}" if extended else "")}
    dates = table([("Approved on", facts.day(approved)), ("Works to be completed by", facts.day(finish)),
                   ("Time left", left)], caption="Your dates")
    return compose_letter(facts, KIND, values, then={"dates": [dates]})
