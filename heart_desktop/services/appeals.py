"""Appeals to the panels (policy section 12), free of Qt: lodge an appeal with the applicant's
written case (12.10), answer its criteria with evidence, record each panel's decision (only the
panel roles may, 12.3), escalate a refusal to the Senior Management Panel (12.6, 12.15, 12.16) and
record the outcome (12.21). A grant continues the application: a case closed on the refusal is
reopened and waits in its place by the date of the initial enquiry, or first when the panel orders
urgency (12.19).

Each function takes the :class:`Workbench` and runs on the thread that owns its store; every write
is one store transaction, announced on the store's change hub (the window's one ``changed``
signal) like every other service. ``today`` is given by the caller, never read here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from heart_desktop.domain import appeals as rules_
from heart_desktop.domain.appeals import AppealError
from heart_desktop.services.workbench import Workbench
from heart_desktop.store import appeals as rows

__all__ = ["AppealError", "advice", "answer", "appeals_for", "decide", "escalate", "lodge", "outcome", "reopen_case",
           "view"]


def _rules(appeal: Mapping[str, Any]) -> rules_.AppealRules:
    lodged = appeal.get("lodged_on")
    return rules_.appeal_rules(lodged if isinstance(lodged, date) else date.fromisoformat(str(lodged)[:10]))


def view(bench: Workbench, appeal_id: str) -> dict[str, Any]:
    """The appeal as stored, with its stage, what may be done next (and whether this officer may),
    and each criterion with its words and answer."""
    row = rows.get(bench._store(), appeal_id)
    return _view(bench, row)


def _view(bench: Workbench, row: Mapping[str, Any]) -> dict[str, Any]:
    rules = _rules(row)
    out = {**dict(row), **rules_.describe(rules, row)}
    due = out["panel_due"]
    granting = rules_.granting_panel(row)
    out["may_decide"] = due is not None and bench.refusal(rules.panels[due].act) is None
    out["may_record_outcome"] = granting is not None and bench.refusal(rules.panels[granting].act) is None
    out["panels"] = {k: {"name": p.name, "members": list(p.members), "section": p.section}
                     for k, p in rules.panels.items()}
    return out


def appeals_for(bench: Workbench, case_id: str) -> list[dict[str, Any]]:
    """The case's appeals, the first lodged first, each as :func:`view` gives it."""
    return [_view(bench, row) for row in rows.for_case(bench._store(), case_id)]


def lodge(bench: Workbench, case_id: str, kind: str, grounds: str, *, today: date, lodged_on: date | None = None,
          appellant: str | None = None, assisted: bool = False) -> dict[str, Any]:
    """Record an appeal with the applicant's written case (casework: the service may help, 12.10).
    Section 12 sets no time limit: an appeal is accepted whenever it comes."""
    bench.require("casework")
    on = lodged_on or today
    values = rules_.check_lodge(rules_.appeal_rules(on), kind, grounds, on, today, appellant, assisted)
    store = bench._store()
    chosen = rules_.appeal_rules(on).kinds[kind]
    with store.transaction():
        appeal_id = rows.lodge(store, case_id, values)
        store.notes.add(case_id, f"Appeal lodged on {on:%d/%m/%Y} ({chosen.label.lower()}, policy {chosen.section}): "
                                 f"{values['grounds']}")
    return view(bench, appeal_id)


def answer(bench: Workbench, appeal_id: str, criterion: str, evidence: str | None, *, today: date,
           claimed: bool = True) -> dict[str, Any]:
    """Answer one criterion with its evidence (or record that it is not claimed)."""
    bench.require("casework")
    store = bench._store()
    row = rows.get(store, appeal_id)
    answers = rules_.check_answer(_rules(row), row, criterion, evidence, claimed, today)
    rows.record_step(store, appeal_id, "answer", {"answers": answers})
    return view(bench, appeal_id)


def advice(bench: Workbench, appeal_id: str, *, today: date, requested_on: date | None, source: str | None,
           received_on: date | None = None, summary: str | None = None, cost: str | None = None) -> dict[str, Any]:
    """Record the independent medical advice sought on the medical criterion (12.14): who was asked
    (a role), when, when it came back and what it says, and its revenue cost if any."""
    bench.require("casework")
    store = bench._store()
    row = rows.get(store, appeal_id)
    rules = _rules(row)
    answers = rules_.check_advice(rules, row, requested_on=requested_on, source=source, today=today,
                                  received_on=received_on, summary=summary, cost=cost)
    with store.transaction():
        rows.record_step(store, appeal_id, "advice", {"answers": answers})
        after = {**row, "answers": answers}
        store.notes.add(row["case_id"], " ".join(rules_.advice_sentences(rules, after)))
    return view(bench, appeal_id)


def clear_advice(bench: Workbench, appeal_id: str, reason: str, *, today: date) -> dict[str, Any]:
    """Clear the medical advice recorded on the appeal (12.14), with the reason: in the audit trail
    (``advice_cleared``, the reason as the entry's reason) and a case note; synced as the appeal is."""
    bench.require("casework")
    store = bench._store()
    row = rows.get(store, appeal_id)
    answers, was, why = rules_.check_clear_advice(_rules(row), row, reason)
    with store.transaction():
        rows.record_step(store, appeal_id, "advice_cleared", {"answers": answers}, reason=why)
        store.notes.add(row["case_id"], f"Independent medical advice cleared on {today:%d/%m/%Y} (asked for on "
                                        f"{_day_text(was.get('requested_on'))} from {was.get('source')}): {why}")
    return view(bench, appeal_id)


def _day_text(value: Any) -> str:
    return f"{date.fromisoformat(str(value)[:10]):%d/%m/%Y}" if value else "an unknown day"


def reopen_case(bench: Workbench, case_id: str, reason: str, *, today: date) -> dict[str, Any]:
    """Reopen a closed case (its outcome cleared, with the reason in a note): it waits again in its
    queue in the order of its enquiry date (``domain.queue``), as it did before it closed."""
    from heart_desktop.services.casework import CaseworkError

    bench.require("reopen_case")
    store = bench._store()
    case = store.cases.get(case_id)
    if not case.get("outcome"):
        raise CaseworkError("the case is not closed: there is nothing to reopen")
    text = " ".join(str(reason or "").split())
    if not text:
        raise CaseworkError("reason: say why the case is reopened", "reason")
    with store.transaction():
        store.cases.update(case_id, {"outcome": None, "outcome_on": None, "outcome_reason": None})
        store.notes.add(case_id, f"Reopened on {today:%d/%m/%Y} (it had closed as {case['outcome']}): {text}")
        store.audit.append("change", case_id=case_id, entity="case", entity_id=case_id,
                           detail={"reopened": True, "was": case["outcome"]})
    return store.cases.get(case_id)


def decide(bench: Workbench, appeal_id: str, panel: str, decision: str, reasons: str, *, today: date,
           decided_on: date | None = None, urgent: bool = False) -> dict[str, Any]:
    """Record a panel's decision with its reasons; only the panel roles may (12.3). A grant
    continues the application (12.19): a closed case reopens, and an urgent order puts it first."""
    store = bench._store()
    row = rows.get(store, appeal_id)
    rules = _rules(row)
    if panel in rules.panels:
        bench.require(rules.panels[panel].act)
    entry = rules_.check_decision(rules, row, panel, decision, reasons, decided_on or today, today, urgent=urgent,
                                  decided_by=store.officer)
    after = {**row, "decisions": [*(row.get("decisions") or []), entry]}
    case = store.cases.get(row["case_id"])
    effect = rules_.case_effect(rules, entry, case)
    with store.transaction():
        rows.record_step(store, appeal_id, "decide", {"decisions": after["decisions"], "stage": rules_.stage(after)})
        name = rules.panels[panel].name
        store.notes.add(row["case_id"], f"{name}: {rules.decisions[decision].label.lower()} on "
                                        f"{entry['decided_on'][8:10]}/{entry['decided_on'][5:7]}/"
                                        f"{entry['decided_on'][:4]}. {entry['reasons']}")
        if effect is not None:
            if effect.reopen:
                reopen_case(bench, row["case_id"], effect.note, today=today)
            if effect.urgent:
                bench.require("agree_urgency")
                store.cases.update(row["case_id"], {"urgent": True, "urgent_reason": effect.note})
            if not effect.reopen:
                store.notes.add(row["case_id"], effect.note)
    return view(bench, appeal_id)


def escalate(bench: Workbench, appeal_id: str, *, today: date, hearing: str, escalated_on: date | None = None,
             hearing_on: date | None = None, representative: str | None = None, implications: str | None = None,
             information: str | None = None) -> dict[str, Any]:
    """The appellant takes the Supervisors Panel's refusal to the Senior Management Panel (12.6):
    casework records the request and the hearing (12.16)."""
    bench.require("casework")
    store = bench._store()
    row = rows.get(store, appeal_id)
    escalation = rules_.check_escalation(_rules(row), row, escalated_on or today, today, hearing=hearing,
                                         hearing_on=hearing_on, representative=representative,
                                         implications=implications, information=information)
    after = {**row, "escalation": escalation}
    with store.transaction():
        rows.record_step(store, appeal_id, "escalate", {"escalation": escalation, "stage": rules_.stage(after)})
        when = f" on {hearing_on:%d/%m/%Y}" if hearing_on else ""
        store.notes.add(row["case_id"], f"Appeal escalated to the Senior Management Panel (policy 12.6): "
                                        f"{_rules(row).hearings[hearing].label.lower()}{when}.")
    return view(bench, appeal_id)


def outcome(bench: Workbench, appeal_id: str, form: str, *, today: date, decided_on: date | None = None,
            assistance_type: str | None = None, modification: str | None = None, description: str | None = None,
            terms: str | None = None) -> dict[str, Any]:
    """What the panel that granted the appeal decides to offer (12.21); that panel's roles only."""
    store = bench._store()
    row = rows.get(store, appeal_id)
    rules = _rules(row)
    granting = rules_.granting_panel(row)
    if granting is not None:
        bench.require(rules.panels[granting].act)
    result = rules_.check_outcome(rules, row, form, decided_on or today, today, assistance_type=assistance_type,
                                  modification=modification, description=description, terms=terms)
    after = {**row, "outcome": result}
    with store.transaction():
        rows.record_step(store, appeal_id, "outcome", {"outcome": result, "stage": rules_.stage(after)})
        offered = (f"{result['assistance_type']}" + (f", modified: {result['modification']}"
                                                     if result["modification"] else "")
                   if form == rules_.STANDARD else f"a special form: {result['description']}; terms: {result['terms']}")
        store.notes.add(row["case_id"], f"Appeal outcome (policy 12.21): {offered}")
    return view(bench, appeal_id)
