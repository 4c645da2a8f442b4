"""Who may do what: one table of the acts a role may perform, asked by the office (which enforces
it on every change a laptop sends) and by the app (which offers only what the officer may do).

Roles are the office's (``heart-central officer add --role``): a Housing Assessment Officer
(HAO), an Occupational Therapist (OT), admin staff, and a manager (the HEART Team Manager, a team
leader or the Head of Service). Policy 9.3 reserves an out-of-order sanction to the Head of
Service, the team manager or team leaders; the same people agree urgency (9.1), approve
assistance (the approval is the council's decision, 5.5 and 5.6) and agree to extend the time for
the works (13.2). The duty desk (admin staff) or a team leader allocates a case to an officer
(5.5); the key worker or a team leader closes it with its outcome. OTs record needs assessments and
recommendations (5.4); admin staff print and post the signed packs (5.6).

Appeals (section 12): lodging an appeal and recording the applicant's written case and evidence is
casework (12.10: the service may help fill in the form). Only the panels decide (12.3): the
Supervisors Panel (the Private Sector Housing Manager and the HEART Service Manager) and the Senior
Management Panel (the Head of Home Environment Service and the local Head of Housing). Their members
are managers, so the panel acts are the managers'; no separate role is needed for people who already
hold the manager's role, and the council's own managers are enrolled as managers to record panel
decisions. A panel granting an appeal may order the case dealt with urgently (12.19), so the panel
roles agree urgency too; a grant reopens a case closed on the refusal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

ROLES: tuple[str, ...] = ("HAO", "OT", "admin", "manager")
PANEL_ROLES: frozenset[str] = frozenset({"manager"})  # who sits on the appeal panels (12.3)
ROLE_NAMES: dict[str, str] = {"HAO": "a Housing Assessment Officer", "OT": "an Occupational Therapist",
                              "admin": "admin staff", "manager": "a manager or team leader"}


@dataclass(frozen=True)
class Act:
    key: str
    words: str  # "record an approval", for "only ... may record an approval"
    roles: frozenset[str]
    section: str


ACTS: dict[str, Act] = {act.key: act for act in (
    Act("approve", "record a decision of approval", frozenset({"manager"}), "5.5, 5.6"),
    Act("decide", "record a decision", frozenset({"HAO", "manager"}), "5.5, 5.6"),
    Act("agree_urgency", "agree that a case is urgent", frozenset({"manager"}) | PANEL_ROLES, "9.1, 9.3, 12.19"),
    Act("sanction_out_of_order", "sanction taking a case out of order", frozenset({"manager"}), "9.3"),
    Act("allocate", "allocate or re-allocate a case to an officer", frozenset({"admin", "manager"}), "5.5"),
    Act("close_case", "close a case with an outcome", frozenset({"HAO", "OT", "manager"}), "13.1"),
    Act("reopen_case", "reopen a closed case", frozenset({"HAO", "OT"}) | PANEL_ROLES, "13.1, 12.19"),
    Act("supervisors_panel", "record a decision of the Supervisors Panel", PANEL_ROLES, "12.3, 12.11"),
    Act("senior_panel", "record a decision of the Senior Management Panel", PANEL_ROLES, "12.3, 12.15, 12.16"),
    Act("extend_completion", "extend the time to complete the works", frozenset({"manager"}), "13.2"),
    Act("ot_assessment", "record an OT needs assessment", frozenset({"OT", "manager"}), "5.4"),
    Act("assess_home", "record a home assessment or schedule of works", frozenset({"HAO", "OT", "manager"}),
        "5.3, 5.4"),
    Act("sign_pack", "sign an application pack", frozenset({"HAO", "OT", "manager"}), "5.5"),
    Act("print_post", "mark a pack printed or posted", frozenset({"admin", "manager", "HAO"}), "5.6"),
    Act("casework", "record casework", frozenset(ROLES), "5.1"),
    Act("view_measures", "see the partnership's measures", frozenset({"manager"}), "13.3, 3.15"),
    Act("view_audit", "see who viewed, printed or exported a case", frozenset({"manager"}), "5.3"),
    Act("subject_access", "answer a subject access request", frozenset({"manager"}), "5.3"),
)}

OT_FORMS = frozenset({"ot_needs_assessment"})
HOME_FORMS = frozenset({"hhsrs_assessment", "home_safety_check", "works_schedule", "application_details"})


def form_act(form_id: str) -> str:
    """The act of completing a form of this kind: an OT's needs assessment, or a home assessment."""
    return "ot_assessment" if form_id in OT_FORMS else "assess_home"


class NotPermitted(PermissionError):
    """The officer's role may not do this; the text says which role may."""

    def __init__(self, act: Act, role: str) -> None:
        names = [ROLE_NAMES[r] for r in ROLES if r in act.roles]
        allowed = ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else names[0]
        super().__init__(f"only {allowed} may {act.words} (policy {act.section}); "
                         f"this officer is {ROLE_NAMES.get(role, role or 'of no known role')}")
        self.act, self.role = act, role


def may(role: str | None, act: str) -> bool:
    """Whether ``role`` may perform ``act``; an unknown role may do nothing."""
    return role in ACTS[act].roles


def require(role: str | None, act: str) -> None:
    if not may(role, act):
        raise NotPermitted(ACTS[act], role or "")


def acts_of_change(entity: str, fields: Mapping[str, Any], current: Mapping[str, Any] | None) -> list[str]:
    """The acts a change to a synced row performs, given the row as it stands (None if new).

    A change performs an act only by what it changes: re-sending a value that is already there
    (a form's unchanged status) performs nothing.
    """
    before = dict(current or {})

    def changed(name: str) -> bool:
        return name in fields and fields[name] != before.get(name)

    def now(name: str) -> Any:
        return fields.get(name, before.get(name))

    acts = ["casework"]
    if entity == "decision" and (current is None or any(changed(n) for n in ("outcome", "amount_pence", "kind"))):
        acts.append("approve" if str(now("outcome") or "").lower() == "approved" else "decide")
    elif entity == "case":
        if changed("urgent") and now("urgent"):
            acts.append("agree_urgency")
        if changed("allocated_to"):  # the duty desk or a team leader (5.5)
            acts.append("allocate")
        if (changed("priority_reason") or changed("sanctioned_by")) and now("priority_reason"):
            acts.append("sanction_out_of_order")
        if changed("outcome") and now("outcome"):
            acts.append("close_case")
        if changed("outcome") and not now("outcome") and before.get("outcome"):
            acts.append("reopen_case")
        if changed("extension_to") and now("extension_to"):
            acts.append("extend_completion")
    elif entity == "appeal":
        acts += appeal_acts(fields, before)
    elif entity == "form_submission" and (changed("status") or changed("signed_at")) and now("status") in (
            "complete", "signed"):
        acts.append(form_act(str(now("form_id") or "")))
    elif entity == "document":
        if changed("signed") and now("signed"):
            acts.append("sign_pack")
        if changed("printed_at") or changed("posted_at"):
            acts.append("print_post")
    return acts


PANEL_ACTS = {"supervisors": "supervisors_panel", "senior": "senior_panel"}


def _entries(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def appeal_acts(fields: Mapping[str, Any], before: Mapping[str, Any]) -> list[str]:
    """The panel acts a change to an appeal performs: each panel decision added, changed or removed
    is its panel's (12.3); the outcome is the granting panel's (12.21). Anything else on an appeal
    (its written case, the evidence, the escalation the appellant asks for) is casework."""
    acts: list[str] = []
    if "decisions" in fields and fields["decisions"] != before.get("decisions"):
        old, new = _entries(before.get("decisions")), _entries(fields["decisions"])
        touched = [d for d in new if d not in old] + [d for d in old if d not in new]
        for entry in touched:
            panel = entry.get("panel") if isinstance(entry, Mapping) else None
            acts.append(PANEL_ACTS.get(str(panel), "senior_panel"))
    if "outcome" in fields and fields["outcome"] != before.get("outcome"):
        outcome = fields["outcome"] or before.get("outcome")
        panel = outcome.get("panel") if isinstance(outcome, Mapping) else None
        acts.append(PANEL_ACTS.get(str(panel), "senior_panel"))
    return list(dict.fromkeys(acts))


def panel_author_refusal(entity: str, fields: Mapping[str, Any], current: Mapping[str, Any] | None,
                         officer: str) -> str | None:
    """Why a change to an appeal may not record its panel decisions as ``officer`` sends them, or
    None: each decision it adds or changes must be in the sending officer's own name (``decided_by``),
    since the panel's members (12.3) answer for their decisions and the office knows who sends; one
    in a colleague's name, or in none, is refused. Decisions already held are left as they are."""
    if entity != "appeal" or "decisions" not in fields:
        return None
    held = _entries((current or {}).get("decisions"))
    for entry in _entries(fields["decisions"]):
        if entry in held:
            continue
        by = entry.get("decided_by") if isinstance(entry, Mapping) else None
        if by != officer:
            named = f"in the name of {by}" if isinstance(by, str) and by.strip() else "in no one's name"
            return (f"a panel decision can only be recorded in the name of the officer who sends it ({officer}); "
                    f"this one is {named} (policy 12.3)")
    return None


def refusal(role: str | None, entity: str, fields: Mapping[str, Any], current: Mapping[str, Any] | None) -> str | None:
    """Why ``role`` may not make this change, or None when it may."""
    for act in acts_of_change(entity, fields, current):
        if not may(role, act):
            return str(NotPermitted(ACTS[act], role or ""))
    return None
