"""Acknowledgement of an enquiry (policy 5.1, 5.2): what happens next, who to contact, the duty desk
of the customer's area, and the officer the case is with once it is allocated."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from heart_desktop.documents.letters.compose import compose_letter
from heart_desktop.documents.letters.facts import CaseFacts, advocate_name
from heart_desktop.documents.letters.model import LetterData

KIND = "acknowledgement"
TITLE = "Acknowledgement of the enquiry"


def refusal(facts: CaseFacts, options: Mapping[str, Any] | None = None) -> str | None:
    """Every case began as an enquiry; only one with no enquiry date cannot be acknowledged."""
    if not facts.stage_dates.get("enquiry"):
        return "the case has no enquiry date to acknowledge: record when the enquiry was received"
    return None


def compose(facts: CaseFacts, options: Mapping[str, Any] | None = None) -> LetterData:
    case = facts.case
    channel = facts.lists.label("channels", case.get("channel")) if case.get("channel") else "at the duty desk"
    holds = set()
    officer = str(case.get("allocated_to") or "")
    if officer:
        holds.add("allocated")
    advocate = str(case.get("advocate") or "").strip()
    if case.get("contact_preference") == "advocate" and advocate:
        holds.add("advocate")
    values = {"received": facts.day(facts.stage_dates.get("enquiry")), "channel": channel.lower(),
              "officer": officer, "officer_role": f", {facts.officer_role()}" if facts.officer_role() else "",
              "advocate": advocate_name(advocate) if advocate else ""}
    return compose_letter(facts, KIND, values, holds)
