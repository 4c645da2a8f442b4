"""Visit confirmation and rearrangement (policy 5.5): the visit's kind, day and time, the address and
the officer; when it has been moved, the reason. ``options["visit"]`` names the visit; without it,
the next visit still planned."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from heart_desktop.documents.letters.compose import compose_letter
from heart_desktop.documents.letters.facts import CaseFacts
from heart_desktop.documents.letters.model import LetterData

KIND = "visit"
TITLE = "Visit confirmation"


def _visit(facts: CaseFacts, options: Mapping[str, Any] | None) -> dict[str, Any] | None:
    wanted = (options or {}).get("visit")
    visits = facts.visits()
    if wanted:
        return next((v for v in visits if v.get("id") == wanted), None)
    today = facts.today.isoformat()
    return next((v for v in visits if v.get("status") == "planned" and str(v.get("scheduled_for"))[:10] >= today),
                None)


def refusal(facts: CaseFacts, options: Mapping[str, Any] | None = None) -> str | None:
    visit = _visit(facts, options)
    if visit is None:
        return ("there is no such visit on the case" if (options or {}).get("visit")
                else "no visit is booked from today on: book one in the Diary first")
    if visit.get("status") != "planned":
        return "that visit has already taken place or was cancelled"
    return None


def compose(facts: CaseFacts, options: Mapping[str, Any] | None = None) -> LetterData:
    visit = _visit(facts, options)
    assert visit is not None
    when = datetime.fromisoformat(str(visit["scheduled_for"])[:16])
    moved = str(visit.get("moved_reason") or "").strip()
    values = {"visit_kind": facts.lists.label("visit_kinds", visit.get("kind")).lower(),
              "visit_when": f"{when:%A} {when.day} {when:%B %Y} at {when:%H:%M}",
              "visit_officer": str(visit.get("officer") or facts.officer), "moved_reason": moved}
    return compose_letter(facts, KIND, values, {"moved"} if moved else {"first"},
                          about={"visit": visit.get("id"), "at": str(visit["scheduled_for"])[:16]})
