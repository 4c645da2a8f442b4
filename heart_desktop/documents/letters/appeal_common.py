"""What the appeal letters share (policy section 12): the appeal a letter is about, the panels'
names and members from ``appeals.toml``, the reasons of a decision, and the outcome of 12.21 as
the letter puts it. ``options["appeal"]`` names the appeal; without it, the case's latest."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from heart_desktop.documents.letters.compose import compose_letter
from heart_desktop.documents.letters.facts import CaseFacts
from heart_desktop.documents.letters.model import Block, LetterData, bullets
from heart_desktop.domain import appeals as ap
from heart_desktop.domain.reasons import TYPE_NAMES


def chosen(facts: CaseFacts, options: Mapping[str, Any] | None) -> dict[str, Any] | None:
    rows = [dict(a) for a in facts.detail.get("appeals") or [] if not a.get("deleted")]
    wanted = (options or {}).get("appeal")
    if wanted:
        return next((a for a in rows if a.get("id") == wanted), None)
    return rows[-1] if rows else None


def no_appeal(facts: CaseFacts, options: Mapping[str, Any] | None) -> str:
    return ("there is no such appeal on the case" if (options or {}).get("appeal")
            else "no appeal is lodged on the case: lodge it first (Appeals)")


def rules_for(appeal: Mapping[str, Any]) -> ap.AppealRules:
    lodged = appeal.get("lodged_on")
    return ap.appeal_rules(lodged if isinstance(lodged, date) else date.fromisoformat(str(lodged)[:10]))


def members(panel: ap.Panel) -> str:
    """"Private Sector Housing Manager and the HEART Service Manager" (after "the")."""
    names = list(panel.members)
    return names[0] if len(names) == 1 else ", the ".join(names[:-1]) + f" and the {names[-1]}"


def panel_values(rules: ap.AppealRules) -> dict[str, str]:
    sup, senior = rules.panels[ap.SUPERVISORS], rules.panels[ap.SENIOR]
    return {"supervisors_panel": sup.name, "supervisors_members": members(sup), "senior_panel": senior.name,
            "senior_members": members(senior), "queue_section": rules.queue_section}


def last_of(appeal: Mapping[str, Any], panel: str) -> dict[str, Any] | None:
    return ap.last_decision(appeal, panel)


def reasons_block(text: str) -> list[Block]:
    return [bullets([text])] if text else []


def decision_facts(facts: CaseFacts, rules: ap.AppealRules, appeal: Mapping[str, Any],
                   entry: Mapping[str, Any]) -> tuple[set[str], dict[str, str]]:
    """The parts a panel's decision letter holds, and the values they ask for."""
    panel = rules.panels[str(entry["panel"])]
    holds = {str(entry["decision"])}
    values = {**panel_values(rules), "panel": panel.name, "members": members(panel),
              "lodged_on": facts.day(appeal.get("lodged_on")), "decided_on": facts.day(entry.get("decided_on")),
              "assistance": "", "modification": "", "description": "", "terms": "", "terms_note": rules.terms_note}
    advice = ap.advice_sentences(rules, appeal, facts.day)
    values["medical_advice"] = " ".join(advice)
    if advice:
        holds.add("medical_advice")
    if entry["decision"] == ap.GRANTED:
        holds.add("urgent" if entry.get("urgent") else "in_order")
        outcome = appeal.get("outcome")
        if outcome and outcome.get("panel") == entry["panel"]:
            if outcome["form"] == ap.STANDARD:
                holds.add("outcome_standard")
                key = str(outcome.get("assistance_type") or "")
                values["assistance"] = f"{TYPE_NAMES.get(key, key)} ({key})"
                if outcome.get("modification"):
                    values["modification"] = f", modified as follows: {outcome['modification']}"
                    holds.add("conditional")
            else:
                holds |= {"outcome_special", "conditional"}
                values.update(description=str(outcome.get("description") or ""), terms=str(outcome.get("terms") or ""))
    return holds, values


def panel_refusal(facts: CaseFacts, options: Mapping[str, Any] | None, panel: str, name: str) -> str | None:
    """Why a panel's decision letter cannot be made yet: no such appeal, or ``panel`` has not decided."""
    appeal = chosen(facts, options)
    if appeal is None:
        return no_appeal(facts, options)
    if last_of(appeal, panel) is None:
        return f"the {name} has not decided the appeal: record its decision first"
    return None


# What one panel's letter adds to the shared parts: (facts, appeal, its decision, holds, values), in place.
Extra = Callable[[CaseFacts, Mapping[str, Any], Mapping[str, Any], set[str], dict[str, str]], None]


def panel_letter(facts: CaseFacts, options: Mapping[str, Any] | None, kind: str, panel: str,
                 extra: Extra | None = None) -> LetterData:
    """The decision letter of ``panel`` (its latest decision), built the same way for both panels so
    they cannot drift apart; ``extra`` is where a panel's letter says more (the senior panel's hearing)."""
    appeal = chosen(facts, options)
    assert appeal is not None
    entry = last_of(appeal, panel)
    assert entry is not None
    holds, values = decision_facts(facts, rules_for(appeal), appeal, entry)
    if extra is not None:
        extra(facts, appeal, entry, holds, values)
    return compose_letter(facts, kind, values, holds, {"reasons": reasons_block(str(entry.get("reasons") or ""))},
                          about={"appeal": appeal.get("id"), "panel": panel, "decided_on": entry.get("decided_on"),
                                 "decision": entry.get("decision")})
