"""The appeal received (policy 12.2, 12.10, 12.11): what happens next, and the form of 12.10 with
the criteria (12.4 for a technical appeal; 12.7 and 12.8 for a special case), blank for the
applicant to fill in, or filled with what was recorded with them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from heart_desktop.documents.letters.appeal_common import chosen, no_appeal, panel_values, rules_for
from heart_desktop.documents.letters.compose import compose_letter
from heart_desktop.documents.letters.facts import CaseFacts
from heart_desktop.documents.letters.model import Block, LetterData, para, table

KIND = "appeal_received"
TITLE = "Appeal received, with the appeal form"
BLANK = "Your evidence: ............................................................"
GROUP_CAPTIONS = {"12.4": "The matters you disagree with (policy 12.4): any of these",
                  "12.7": "Your circumstances (policy 12.7): at least one of these",
                  "12.8": "In every special case (policy 12.8): both of these"}


def refusal(facts: CaseFacts, options: Mapping[str, Any] | None = None) -> str | None:
    return None if chosen(facts, options) else no_appeal(facts, options)


def form_blocks(appeal: Mapping[str, Any], filled: bool) -> list[Block]:
    rules = rules_for(appeal)
    answers = appeal.get("answers") or {}
    blocks = [para(f"Your case in your own words: {appeal.get('grounds')}" if filled else
                   "Your case in your own words: ......................................................")]
    criteria = rules.criteria_of(str(appeal["kind"]))
    for group in dict.fromkeys(c.group for c in criteria):
        rows = []
        for c in (c for c in criteria if c.group == group):
            answer = answers.get(c.key)
            if not filled or answer is None:
                value = BLANK
            elif answer.get("claimed"):
                value = f"Your evidence: {answer.get('evidence')}"
            else:
                value = "Not claimed"
            rows.append((f"{c.words} (policy {c.section})", value))
        blocks.append(table(rows, caption=GROUP_CAPTIONS.get(group, f"Policy {group}")))
    return blocks


def compose(facts: CaseFacts, options: Mapping[str, Any] | None = None) -> LetterData:
    appeal = chosen(facts, options)
    assert appeal is not None
    rules = rules_for(appeal)
    kind = rules.kinds[str(appeal["kind"])]
    filled = bool(appeal.get("answers"))
    holds = {"filled" if filled else "blank"} | ({"special"} if kind.key == "special" else set())
    words = "a technical or professional appeal" if kind.key == "technical" else "a special case appeal"
    values = {**panel_values(rules), "lodged_on": facts.day(appeal.get("lodged_on")), "kind_words": words,
              "kind_section": kind.section,
              "recorded_how": "with you by our officer" if appeal.get("assisted") else "from what you sent us"}
    return compose_letter(facts, KIND, values, holds, {"form": form_blocks(appeal, filled)},
                          about={"appeal": appeal.get("id"), "filled": filled})
