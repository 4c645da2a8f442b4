"""Appeals to the panels (policy section 12): the rules read from ``resources/policy/appeals.toml``
and the appeal's stages as a small state machine, each step checked with a message that says what
to do.

An appeal is a plain mapping (the store's ``appeal`` row): its ``kind`` (technical or professional,
12.4; a special case, 12.5), the day it was lodged and the applicant's written case (the form of
12.10, ``grounds``), the ``answers`` to the criteria (12.4 for a technical appeal; 12.7 and 12.8
for a special case), the panels' ``decisions`` in the order they were made, the ``escalation`` to
the Senior Management Panel (12.6, 12.15, 12.16) and the ``outcome`` (12.21).

    lodged -> Supervisors Panel: granted | refused | further information (12.11)
    refused -> escalated (hearing date; the appellant attends, or a written hearing; a representative)
    escalated -> Senior Management Panel: granted | refused | further information (12.16)
    granted (by either panel) -> outcome: a standard assistance type, possibly modified, or a
        special form with its terms (12.21)

Section 12 sets no time limit for lodging an appeal; none is checked here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

from heart_desktop.domain.policy import PolicyFileError, policy_set, read_toml
from heart_desktop.domain.reasons import TYPE_NAMES

APPEALS_FILE = "appeals.toml"
SUPERVISORS, SENIOR = "supervisors", "senior"
GRANTED, REFUSED, FURTHER_INFORMATION = "granted", "refused", "further_information"
ATTENDS, WRITTEN = "attends", "written"
STANDARD, SPECIAL = "standard", "special"

# the stages, in the order an appeal may pass through them
LODGED = "lodged"
SUPERVISORS_INFORMATION = "supervisors_information"
SUPERVISORS_REFUSED = "supervisors_refused"
ESCALATED = "escalated"
SENIOR_INFORMATION = "senior_information"
AWAITING_OUTCOME = "granted"
REFUSED_FINALLY = "refused"
DECIDED = "decided"
STAGE_LABELS: dict[str, str] = {
    LODGED: "Lodged: with the Supervisors Panel",
    SUPERVISORS_INFORMATION: "The Supervisors Panel asked for further information",
    SUPERVISORS_REFUSED: "Refused by the Supervisors Panel: may be escalated",
    ESCALATED: "Escalated: with the Senior Management Panel",
    SENIOR_INFORMATION: "The Senior Management Panel asked for further information",
    AWAITING_OUTCOME: "Granted: the outcome to record",
    REFUSED_FINALLY: "Refused by the Senior Management Panel",
    DECIDED: "Decided: outcome recorded",
}
MIN_REASONS = 10  # characters: reasons a person can read, not a word (12.13, 12.15)


class AppealError(ValueError):
    """A step of an appeal refused, saying why and what to do; ``field`` names the input at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field


@dataclass(frozen=True)
class Criterion:
    key: str
    group: str  # "12.4", "12.7" or "12.8"
    section: str
    words: str


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    section: str
    words: str
    criteria: tuple[str, ...]
    all_answered: bool  # special cases: every criterion answered; technical: at least one matter


@dataclass(frozen=True)
class Panel:
    key: str
    name: str
    section: str
    members: tuple[str, ...]
    act: str  # the permission that records its decisions (domain.permissions)
    hearing: bool


@dataclass(frozen=True)
class Choice:
    key: str
    label: str
    section: str


@dataclass(frozen=True)
class AdviceRules:
    """12.14: which criteria are medical, and the words the letters and the report use."""

    section: str
    criteria: tuple[str, ...]
    label: str
    requested: str
    received: str
    awaited: str


@dataclass(frozen=True)
class AppealRules:
    effective_from: date
    kinds: dict[str, Kind]
    criteria: dict[str, Criterion]
    panels: dict[str, Panel]
    decisions: dict[str, Choice]
    hearings: dict[str, Choice]
    outcomes: dict[str, Choice]
    terms_note: str
    queue_section: str
    advice: AdviceRules

    def criteria_of(self, kind: str) -> list[Criterion]:
        return [self.criteria[k] for k in self.kinds[kind].criteria]


def appeals_path() -> Path:
    return policy_set().directory / APPEALS_FILE


def _choices(path: Path, where: str, raw: Mapping[str, Any]) -> dict[str, Choice]:
    out = {}
    for key, item in raw.items():
        if "label" not in item or "section" not in item:
            raise PolicyFileError(path, f"{where}.{key}", "needs a label and a section")
        out[key] = Choice(key, str(item["label"]), str(item["section"]))
    return out


@lru_cache(maxsize=4)
def _versions(path: Path) -> tuple[AppealRules, ...]:
    doc = read_toml(path)
    out = []
    for index, raw in enumerate(doc.get("version") or []):
        where = f"version[{index}]"
        try:
            effective = date.fromisoformat(str(raw["effective_from"]))
        except (KeyError, ValueError):
            raise PolicyFileError(path, where, "effective_from must be a date like 2017-06-30") from None
        criteria = {}
        for n, item in enumerate(raw.get("criteria") or []):
            if not all(k in item for k in ("key", "group", "section", "words")):
                raise PolicyFileError(path, f"{where}.criteria[{n}]", "needs a key, group, section and words")
            criteria[str(item["key"])] = Criterion(str(item["key"]), str(item["group"]), str(item["section"]),
                                                   " ".join(str(item["words"]).split()))
        kinds = {}
        for key, item in (raw.get("kinds") or {}).items():
            unknown = [c for c in item.get("criteria") or [] if c not in criteria]
            if unknown or "section" not in item:
                raise PolicyFileError(path, f"{where}.kinds.{key}",
                                      f"criterion {unknown[0]!r} is not listed" if unknown else "needs a section")
            kinds[key] = Kind(key, str(item.get("label") or key), str(item["section"]),
                              " ".join(str(item.get("words") or "").split()), tuple(item.get("criteria") or ()),
                              bool(item.get("all_answered")))
        panels = {}
        for key, item in (raw.get("panels") or {}).items():
            if not all(k in item for k in ("name", "section", "members", "act")):
                raise PolicyFileError(path, f"{where}.panels.{key}", "needs a name, section, members and act")
            panels[key] = Panel(key, str(item["name"]), str(item["section"]), tuple(map(str, item["members"])),
                                str(item["act"]), bool(item.get("hearing")))
        if set(kinds) != {"technical", SPECIAL} or set(panels) != {SUPERVISORS, SENIOR}:
            raise PolicyFileError(path, where, "needs the kinds technical and special and the panels "
                                               "supervisors and senior")
        outcomes_raw = raw.get("outcomes") or {}
        advice_raw = raw.get("medical_advice") or {}
        if not all(k in advice_raw for k in ("section", "criteria", "requested", "received", "awaited")) or any(
                c not in criteria for c in advice_raw["criteria"]):
            raise PolicyFileError(path, f"{where}.medical_advice", "needs a section, its criteria (listed ones) and "
                                                                   "the words requested, received and awaited")
        advice = AdviceRules(str(advice_raw["section"]), tuple(map(str, advice_raw["criteria"])),
                             str(advice_raw.get("label") or "Independent medical advice"),
                             *(" ".join(str(advice_raw[k]).split()) for k in ("requested", "received", "awaited")))
        out.append(AppealRules(
            effective, kinds, criteria, panels, _choices(path, f"{where}.decisions", raw.get("decisions") or {}),
            _choices(path, f"{where}.hearings", raw.get("hearings") or {}), _choices(path, f"{where}.outcomes",
                                                                                      outcomes_raw),
            str((outcomes_raw.get(SPECIAL) or {}).get("terms_note") or ""), str(raw.get("queue_section") or "12.19"),
            advice))
    if not out:
        raise PolicyFileError(path, None, "has no [[version]]")
    return tuple(sorted(out, key=lambda v: v.effective_from))


def appeal_rules(on: date, path: Path | None = None) -> AppealRules:
    """Section 12 as in force on ``on`` (the appeal's lodging date); the earliest before them all."""
    versions = _versions((path or appeals_path()).resolve())
    from heart_desktop.domain.policy import version_in_force

    return version_in_force(versions, on)


# --- where an appeal stands ---------------------------------------------------------------------------


def decisions(appeal: Mapping[str, Any], panel: str | None = None) -> list[dict[str, Any]]:
    return [dict(d) for d in appeal.get("decisions") or [] if panel is None or d.get("panel") == panel]


def last_decision(appeal: Mapping[str, Any], panel: str | None = None) -> dict[str, Any] | None:
    made = decisions(appeal, panel)
    return made[-1] if made else None


def stage(appeal: Mapping[str, Any]) -> str:
    """Where the appeal stands, from what is recorded on it."""
    if appeal.get("outcome"):
        return DECIDED
    senior = last_decision(appeal, SENIOR)
    if senior is not None:
        return {GRANTED: AWAITING_OUTCOME, REFUSED: REFUSED_FINALLY}.get(senior["decision"], SENIOR_INFORMATION)
    if appeal.get("escalation"):
        return ESCALATED
    first = last_decision(appeal, SUPERVISORS)
    if first is not None:
        return {GRANTED: AWAITING_OUTCOME, REFUSED: SUPERVISORS_REFUSED}.get(first["decision"],
                                                                          SUPERVISORS_INFORMATION)
    return LODGED


def panel_due(appeal: Mapping[str, Any]) -> str | None:
    """The panel whose decision the appeal waits for, if any."""
    now = stage(appeal)
    if now in (LODGED, SUPERVISORS_INFORMATION):
        return SUPERVISORS
    if now in (ESCALATED, SENIOR_INFORMATION):
        return SENIOR
    return None


def granting_panel(appeal: Mapping[str, Any]) -> str | None:
    """The panel that granted the appeal (whose outcome it is, 12.21), if one did."""
    for made in reversed(decisions(appeal)):
        if made.get("decision") == GRANTED:
            return str(made.get("panel"))
    return None


def next_steps(appeal: Mapping[str, Any]) -> list[str]:
    """What may be recorded now: ``answer``, ``decide`` (by ``panel_due``), ``escalate``, ``outcome``."""
    now = stage(appeal)
    steps = []
    if now in (LODGED, SUPERVISORS_INFORMATION, ESCALATED, SENIOR_INFORMATION):
        steps += ["answer", "decide"]
    if now == SUPERVISORS_REFUSED:
        steps.append("escalate")
    if now == AWAITING_OUTCOME:
        steps.append("outcome")
    return steps


def _not_now(appeal: Mapping[str, Any], what: str) -> AppealError:
    now = stage(appeal)
    hint = {
        SUPERVISORS_REFUSED: "the Supervisors Panel refused it: escalate it to the Senior Management Panel (12.6)",
        AWAITING_OUTCOME: "it is granted: record the outcome (12.21)",
        REFUSED_FINALLY: "the Senior Management Panel refused it: the council's appeal process is finished",
        DECIDED: "its outcome is recorded: the appeal is finished",
        LODGED: "the Supervisors Panel has not decided it yet",
        ESCALATED: "it waits for the Senior Management Panel",
        SUPERVISORS_INFORMATION: "it waits for the Supervisors Panel",
        SENIOR_INFORMATION: "it waits for the Senior Management Panel",
    }[now]
    return AppealError(f"cannot {what} now: {hint}")


# --- the steps ------------------------------------------------------------------------------------------


def _text(value: str | None, field: str, what: str, minimum: int = 1) -> str:
    text = " ".join(str(value or "").split())
    if len(text) < minimum:
        raise AppealError(what, field)
    return text


def _day(value: date | None, field: str, today: date, not_before: date | None = None,
         before_what: str = "") -> date:
    if value is None:
        raise AppealError("give the date (YYYY-MM-DD)", field)
    if value > today:
        raise AppealError(f"{value:%d/%m/%Y} is in the future", field)
    if not_before is not None and value < not_before:
        raise AppealError(f"{value:%d/%m/%Y} is before {before_what} ({not_before:%d/%m/%Y})", field)
    return value


def _as_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def check_lodge(rules: AppealRules, kind: str, grounds: str | None, lodged_on: date, today: date,
                appellant: str | None = None, assisted: bool = False) -> dict[str, Any]:
    """A new appeal: its kind, the applicant's written case (12.10) and who appeals (12.6)."""
    if kind not in rules.kinds:
        raise AppealError(f"{kind!r} is not a kind of appeal; use {' or '.join(rules.kinds)} "
                          "(technical or professional 12.4, special case 12.5)", "kind")
    text = _text(grounds, "grounds", "write the applicant's case: what they disagree with and why (12.10)",
                 MIN_REASONS)
    _day(lodged_on, "lodged_on", today)
    return {"kind": kind, "grounds": text, "lodged_on": lodged_on,
            "appellant": " ".join(str(appellant or "").split()) or "the applicant", "assisted": bool(assisted),
            "answers": {}, "decisions": [], "escalation": None, "outcome": None, "stage": LODGED}


def check_answer(rules: AppealRules, appeal: Mapping[str, Any], criterion: str, evidence: str | None,
                 claimed: bool, today: date) -> dict[str, Any]:
    """The appeal's answers with one criterion answered: claimed (with its evidence) or not."""
    if "answer" not in next_steps(appeal):
        raise _not_now(appeal, "answer a criterion")
    allowed = rules.kinds[str(appeal["kind"])].criteria
    if criterion not in allowed:
        raise AppealError(f"{criterion!r} is not a criterion of a {rules.kinds[str(appeal['kind'])].label.lower()} "
                          f"appeal; use one of {', '.join(allowed)}", "criterion")
    text = " ".join(str(evidence or "").split())
    if claimed and len(text) < MIN_REASONS:
        raise AppealError(f"give the evidence for {criterion!r}: what shows it (12.7, 12.10)", "evidence")
    answers = {k: dict(v) for k, v in (appeal.get("answers") or {}).items()}
    kept = (answers.get(criterion) or {}).get("advice")  # 12.14 advice outlives a re-answer
    answers[criterion] = {"claimed": bool(claimed), "evidence": text, "answered_on": today.isoformat()}
    if kept:
        answers[criterion]["advice"] = kept
    return answers


# --- 12.14: independent medical advice ---------------------------------------------------------------------


def medical_advice(rules: AppealRules, appeal: Mapping[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The medical criterion's key and the advice recorded on its answer, if any."""
    for key, answer in (appeal.get("answers") or {}).items():
        if key in rules.advice.criteria and (answer or {}).get("advice"):
            return key, dict(answer["advice"])
    return None


def advice_awaited(rules: AppealRules, appeal: Mapping[str, Any]) -> bool:
    """Advice asked for and not back: the panel waits for it (or asks for further information)."""
    found = medical_advice(rules, appeal)
    return found is not None and not found[1].get("received_on")


def _cost(value: str | Decimal | None) -> str | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        amount = Decimal(str(value).strip().lstrip("£").replace(",", ""))
    except InvalidOperation:
        raise AppealError(f"{value!r} is not an amount of money like 150.00", "cost") from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")) or amount > 100000:
        raise AppealError(f"{value!r}: give the revenue cost in pounds and pence, 0 to 100000 (12.14)", "cost")
    return f"{amount:.2f}"


def check_advice(rules: AppealRules, appeal: Mapping[str, Any], *, requested_on: date | None, source: str | None,
                 today: date, received_on: date | None = None, summary: str | None = None,
                 cost: str | Decimal | None = None) -> dict[str, Any]:
    """The appeal's answers with independent medical advice recorded on the medical criterion (12.14):
    only where that criterion is claimed, before the panel decides; received not before requested,
    and a summary of what the advice says once it is received."""
    if "answer" not in next_steps(appeal):
        raise _not_now(appeal, "record medical advice")
    medical = [c for c in rules.kinds[str(appeal["kind"])].criteria if c in rules.advice.criteria]
    answers = {k: dict(v) for k, v in (appeal.get("answers") or {}).items()}
    claimed = [c for c in medical if (answers.get(c) or {}).get("claimed")]
    if not claimed:
        if not medical:
            raise AppealError(f"a {rules.kinds[str(appeal['kind'])].label.lower()} appeal has no medical criterion: "
                              "independent medical advice is for a special case claiming it (12.7, 12.14)",
                              "criterion")
        raise AppealError(f"answer {medical[0]!r} as claimed, with its evidence, first: the advice is sought where "
                          "the medical criterion is used (12.14)", "criterion")
    role = _text(source, "source", "say who gives the advice, by their role (e.g. an independent occupational "
                                   "health adviser), not by name", 3)
    if len(role) > 200:
        raise AppealError("name the role in at most 200 characters", "source")
    lodged = _as_date(appeal.get("lodged_on"))
    asked = _day(requested_on, "requested_on", today, lodged, "the day the appeal was lodged")
    text = " ".join(str(summary or "").split())
    if received_on is not None:
        _day(received_on, "received_on", today, asked, "the request")
        if len(text) < MIN_REASONS:
            raise AppealError("summarise what the advice says (the panel reads it, 12.14)", "summary")
        if len(text) > 20000:
            raise AppealError("keep the summary to 20000 characters: attach the advice itself to the case", "summary")
    elif text:
        raise AppealError("a summary is of advice received: give received_on with it", "received_on")
    key = claimed[0]
    answers[key]["advice"] = {"requested_on": asked.isoformat(), "source": role,
                              "received_on": received_on.isoformat() if received_on else None,
                              "summary": text, "cost": _cost(cost)}
    return answers


def check_clear_advice(rules: AppealRules, appeal: Mapping[str, Any], reason: str | None
                       ) -> tuple[dict[str, Any], dict[str, Any], str]:
    """The appeal's answers with the medical advice cleared (asked for in error, or recorded on the
    wrong appeal), the advice that was there, and the reason: only before the panel decides, as it
    is recorded, and only where advice is recorded. Clearing, not recording blank advice over it,
    so the letters and the report no longer say advice was sought (12.14)."""
    if "answer" not in next_steps(appeal):
        raise _not_now(appeal, "clear medical advice")
    found = medical_advice(rules, appeal)
    if found is None:
        raise AppealError("no medical advice is recorded on this appeal: there is nothing to clear", "advice")
    why = _text(reason, "reason", "say why the advice is cleared (it is kept in the audit trail)", MIN_REASONS)
    if len(why) > 2000:
        raise AppealError("keep the reason to 2000 characters", "reason")
    key, was = found
    answers = {k: dict(v) for k, v in (appeal.get("answers") or {}).items()}
    answers[key].pop("advice", None)
    return answers, was, why


def advice_sentences(rules: AppealRules, appeal: Mapping[str, Any], day: Any = None) -> list[str]:
    """What the letters and the report say of the advice (the words of appeals.toml, 12.14);
    ``day`` formats a date (default dd/mm/yyyy)."""
    found = medical_advice(rules, appeal)
    if found is None:
        return []
    advice = found[1]
    fmt = day or (lambda v: f"{_as_date(v):%d/%m/%Y}")
    out = [rules.advice.requested.format(requested_on=fmt(advice["requested_on"]), source=advice["source"])]
    out.append(rules.advice.received.format(received_on=fmt(advice["received_on"])) if advice.get("received_on")
               else rules.advice.awaited)
    return out


def unanswered(rules: AppealRules, appeal: Mapping[str, Any]) -> list[str]:
    """Why a panel cannot yet decide on the criteria: each criterion still to answer with evidence."""
    kind = rules.kinds[str(appeal["kind"])]
    answers = appeal.get("answers") or {}
    if kind.all_answered:
        return [f"{c.key} ({c.section}: {c.words[:60]}...)" for c in rules.criteria_of(kind.key)
                if c.key not in answers]
    if any(a.get("claimed") and a.get("evidence") for a in answers.values()):
        return []
    return ["at least one matter of 12.4 disputed with its evidence (" + ", ".join(kind.criteria) + ")"]


def _special_case_made(rules: AppealRules, appeal: Mapping[str, Any]) -> str | None:
    """Why a special case cannot be granted on its answers (12.7: one criterion; 12.8: both), or None."""
    answers = appeal.get("answers") or {}
    claimed = {k for k, a in answers.items() if a.get("claimed")}
    groups = {g: [c.key for c in rules.criteria_of(SPECIAL) if c.group == g] for g in ("12.7", "12.8")}
    if not claimed & set(groups["12.7"]):
        return "no criterion of 12.7 is claimed: a special case succeeds only within them (12.7)"
    missing = [k for k in groups["12.8"] if k not in claimed]
    if missing:
        return f"{missing[0]} is not claimed: both conditions of 12.8 must hold in every special case"
    return None


def check_decision(rules: AppealRules, appeal: Mapping[str, Any], panel: str, decision: str,
                   reasons: str | None, decided_on: date, today: date, *, urgent: bool = False,
                   decided_by: str = "") -> dict[str, Any]:
    """One panel's decision, with its reasons (12.13, 12.15); on a grant, whether the panel orders
    the case dealt with urgently (12.19)."""
    if panel not in rules.panels:
        raise AppealError(f"{panel!r} is not a panel; use supervisors or senior", "panel")
    if decision not in rules.decisions:
        raise AppealError(f"{decision!r} is not a decision; use {', '.join(rules.decisions)}", "decision")
    due = panel_due(appeal)
    if due != panel:
        if due is None:
            raise _not_now(appeal, f"record a decision of the {rules.panels[panel].name}")
        if panel == SENIOR:
            raise AppealError("the appeal is with the Supervisors Panel: the Senior Management Panel hears it only "
                              "once the Supervisors Panel has refused it and it is escalated (12.6)", "panel")
        raise AppealError("the appeal is escalated: it is the Senior Management Panel's to decide now", "panel")
    what = {GRANTED: "give the panel's reasons for granting the appeal (12.13)",
            REFUSED: "give the panel's reasons for refusing the appeal (12.13, 12.15): they go in the letter",
            FURTHER_INFORMATION: "say what further information the panel needs (12.11, 12.16)"}[decision]
    text = _text(reasons, "reasons", what, MIN_REASONS)
    if urgent and decision != GRANTED:
        raise AppealError("only a panel granting the appeal can order the case dealt with urgently (12.19)",
                          "urgent")
    escalation = appeal.get("escalation") or {}
    floor, floor_what = _as_date(appeal.get("lodged_on")), "the day the appeal was lodged"
    if panel == SENIOR and escalation:
        heard = _as_date(escalation.get("hearing_on"))
        floor, floor_what = (heard, "the hearing") if heard else (_as_date(escalation.get("escalated_on")),
                                                                   "the escalation")
    _day(decided_on, "decided_on", today, floor, floor_what)
    if decision in (GRANTED, REFUSED):
        if advice_awaited(rules, appeal):
            raise AppealError("the independent medical advice asked for has not been received: record it (appeal "
                              "advice --received-on) or ask for further information (12.14)", "decision")
        missing = unanswered(rules, appeal)
        if missing:
            raise AppealError(f"every criterion is to be answered with its evidence before the panel decides; "
                              f"still to answer: {'; '.join(missing)}", "criterion")
    if decision == GRANTED and appeal.get("kind") == SPECIAL:
        why = _special_case_made(rules, appeal)
        if why:
            raise AppealError(f"the appeal cannot be granted: {why}", "decision")
    return {"panel": panel, "decision": decision, "reasons": text, "decided_on": decided_on.isoformat(),
            "decided_by": decided_by, "urgent": bool(urgent), "members": list(rules.panels[panel].members)}


def check_escalation(rules: AppealRules, appeal: Mapping[str, Any], escalated_on: date, today: date, *,
                     hearing: str, hearing_on: date | None, representative: str | None = None,
                     implications: str | None = None, information: str | None = None) -> dict[str, Any]:
    """The appellant takes a refused appeal to the Senior Management Panel (12.6): the hearing
    (attending, with a representative if they wish, or written, 12.16) and what the Supervisors
    Panel passes on: the implications of a positive decision, the further information needed (12.15)."""
    now = stage(appeal)
    if now != SUPERVISORS_REFUSED:
        if now == AWAITING_OUTCOME:
            raise AppealError("cannot escalate a granted appeal: record its outcome instead (12.21)")
        if now in (LODGED, SUPERVISORS_INFORMATION):
            raise AppealError("cannot escalate yet: only an appeal the Supervisors Panel has refused is escalated "
                              "(12.6)")
        raise _not_now(appeal, "escalate the appeal")
    if hearing not in rules.hearings:
        raise AppealError(f"{hearing!r} is not a kind of hearing; use attends or written (12.16)", "hearing")
    refused = last_decision(appeal, SUPERVISORS) or {}
    _day(escalated_on, "escalated_on", today, _as_date(refused.get("decided_on")), "the Supervisors Panel's decision")
    if hearing_on is not None and hearing_on < escalated_on:
        raise AppealError(f"{hearing_on:%d/%m/%Y} is before the escalation ({escalated_on:%d/%m/%Y})", "hearing_on")
    rep = " ".join(str(representative or "").split())
    if rep and hearing != ATTENDS:
        raise AppealError("a representative comes with the appellant to a hearing they attend (12.16); "
                          "a written hearing has none", "representative")
    return {"escalated_on": escalated_on.isoformat(), "hearing": hearing,
            "hearing_on": hearing_on.isoformat() if hearing_on else None, "representative": rep,
            "refusal_reasons": refused.get("reasons", ""),
            "implications": " ".join(str(implications or "").split()),
            "information": " ".join(str(information or "").split())}


def check_outcome(rules: AppealRules, appeal: Mapping[str, Any], form: str, decided_on: date, today: date, *,
                  assistance_type: str | None = None, modification: str | None = None,
                  description: str | None = None, terms: str | None = None) -> dict[str, Any]:
    """What the panel that granted the appeal decides to offer (12.21)."""
    if stage(appeal) != AWAITING_OUTCOME:
        raise _not_now(appeal, "record an outcome")
    if form not in rules.outcomes:
        raise AppealError(f"{form!r} is not an outcome; use standard (a standard form of assistance, possibly "
                          "modified) or special (a special form with its terms) (12.21)", "form")
    granted = next(d for d in reversed(decisions(appeal)) if d.get("decision") == GRANTED)
    _day(decided_on, "decided_on", today, _as_date(granted.get("decided_on")), "the panel's grant")
    out: dict[str, Any] = {"form": form, "panel": granted["panel"], "decided_on": decided_on.isoformat(),
                           "assistance_type": None, "modification": "", "description": "", "terms": ""}
    if form == STANDARD:
        if assistance_type not in TYPE_NAMES:
            raise AppealError(f"{assistance_type!r} is not a standard form of assistance; use one of "
                              f"{', '.join(TYPE_NAMES)}", "assistance_type")
        out.update(assistance_type=assistance_type, modification=" ".join(str(modification or "").split()))
    else:
        if assistance_type:
            raise AppealError("a special form is not one of the standard types: describe it instead",
                              "assistance_type")
        out.update(description=_text(description, "description", "describe the special form of assistance and the "
                                                                  "issues it addresses (12.21)", MIN_REASONS),
                   terms=_text(terms, "terms", "give the terms and conditions the panel imposes (12.21)",
                               MIN_REASONS))
    return out


# --- what a grant does to the case -----------------------------------------------------------------------


@dataclass(frozen=True)
class CaseEffect:
    """What a panel's decision does to the case: a grant continues the application (reopening a
    case closed on the refusal) in its place by the date of the initial enquiry, or first when the
    panel orders urgency (12.19)."""

    reopen: bool
    urgent: bool
    note: str


def case_effect(rules: AppealRules, entry: Mapping[str, Any], case: Mapping[str, Any]) -> CaseEffect | None:
    if entry.get("decision") != GRANTED:
        return None
    name = rules.panels[str(entry["panel"])].name
    reopen = bool(case.get("outcome"))
    urgent = bool(entry.get("urgent"))
    place = ("dealt with urgently, as the panel ordered" if urgent
             else "in its place by the date of the initial enquiry")
    note = (f"Appeal granted by the {name} on {_as_date(entry['decided_on']):%d/%m/%Y}: the application continues "
            f"{place} (policy {rules.queue_section})" + ("; the case is reopened." if reopen else "."))
    return CaseEffect(reopen, urgent, note)


def describe(rules: AppealRules, appeal: Mapping[str, Any]) -> dict[str, Any]:
    """The appeal as the verbs' JSON and the screens show it: its stage, what may be done next, and
    each criterion with its words, section and answer."""
    kind = rules.kinds[str(appeal["kind"])]
    answers = appeal.get("answers") or {}
    return {
        "stage": stage(appeal), "stage_label": STAGE_LABELS[stage(appeal)], "next": next_steps(appeal),
        "panel_due": panel_due(appeal), "kind_label": kind.label, "kind_section": kind.section,
        "criteria": [{"key": c.key, "group": c.group, "section": c.section, "words": c.words,
                      "answer": answers.get(c.key)} for c in rules.criteria_of(kind.key)],
        "unanswered": unanswered(rules, appeal),
        "medical_advice": _advice_view(rules, appeal),
    }


def _advice_view(rules: AppealRules, appeal: Mapping[str, Any]) -> dict[str, Any] | None:
    found = medical_advice(rules, appeal)
    if found is None:
        return None
    return {"criterion": found[0], "section": rules.advice.section, **found[1],
            "awaited": not found[1].get("received_on")}


def panel_names(rules: AppealRules) -> Sequence[tuple[str, str]]:
    return [(key, panel.name) for key, panel in rules.panels.items()]
