"""From what the store holds about a case to the facts the assistance rules need.

The one place that reads people, property, works, ratings and the application form answers
into ``domain.case_summary`` input, so the workspace, the pack and the server judge a case on the
same facts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from heart_desktop.domain.assistance import check_in_force
from heart_desktop.domain.case_summary import CaseInputError, CaseSummary, read_case_summary
from heart_desktop.domain.dates import age_on
from heart_desktop.domain.works import items as works_items
from heart_desktop.domain.works import schedule_totals

APPLICATION_FORM = "application_details"
SCHEDULE_FORM = "works_schedule"  # the schedule of works: the same items as the case's works rows
OT_FORM = "ot_needs_assessment"
WASH_FORM = "wash_assessment"
TRUE_WORDS = frozenset({"yes", "true", "y", "1"})


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in TRUE_WORDS
    return bool(value)


def latest_form(forms: Sequence[Mapping[str, Any]], form_id: str) -> Mapping[str, Any] | None:
    """The newest version of a form on the case (None when there is none): one no other version
    names as its base, the most recently changed if two laptops both revised it."""
    mine = [f for f in forms if f.get("form_id") == form_id and not f.get("deleted")]
    replaced = {f.get("base_id") for f in mine}
    current = [f for f in mine if f.get("id") not in replaced] or mine
    return max(current, key=lambda f: str(f.get("updated_at") or "")) if current else None


def starting_answers(detail: Mapping[str, Any], form_id: str) -> dict[str, Any]:
    """What a new form begins with, from the case as loaded: the schedule of works form starts
    with the case's works items (they are one schedule)."""
    from heart_desktop.domain.works import answer_rows

    if form_id == SCHEDULE_FORM:
        rows = answer_rows(detail.get("works") or [])
        return {"items": rows} if rows else {}
    if form_id == "financial_assessment":
        from heart_desktop.store.means_facts import starting_answers as financial_start

        return financial_start(detail)
    if form_id == APPLICATION_FORM:
        return application_answers(detail)
    return {}


FORM_RELATIONSHIPS = ("partner", "child", "parent", "sibling", "other_relative", "carer", "lodger", "other")
_RELATIONSHIP_WORDS = {"spouse": "partner", "wife": "partner", "husband": "partner", "son": "child",
                       "daughter": "child", "mother": "parent", "father": "parent", "brother": "sibling",
                       "sister": "sibling", "grandchild": "other_relative", "grandson": "other_relative",
                       "granddaughter": "other_relative", "aunt": "other_relative", "uncle": "other_relative"}


def _relationship(text: Any) -> str:
    word = str(text or "").strip().lower()
    return word if word in FORM_RELATIONSHIPS else _RELATIONSHIP_WORDS.get(word, "other")


def application_answers(detail: Mapping[str, Any]) -> dict[str, Any]:
    """The application details form, started from what the case already holds (the enquiry, the
    details the officer edited): the applicant, the disabled person, the household, the address,
    contact details and tenure are never asked again."""
    people = [p for p in detail.get("people") or [] if not p.get("deleted")]
    applicant = next((p for p in people if p.get("is_applicant")), None)
    prop = detail.get("property") or {}
    out: dict[str, Any] = {}

    def name(person: Mapping[str, Any]) -> str:
        return f"{person.get('given_name') or ''} {person.get('family_name') or ''}".strip()

    def born(person: Mapping[str, Any]) -> str | None:
        value = person.get("date_of_birth")
        return value.isoformat() if isinstance(value, date) else None

    if applicant:
        out["applicant_name"] = name(applicant)
        for key, value in (("applicant_date_of_birth", born(applicant)), ("applicant_ni_number",
                           applicant.get("ni_number")), ("phone", applicant.get("phone")),
                           ("email", applicant.get("email"))):
            if value:
                out[key] = value
    lines = [prop.get(k) for k in ("address_line1", "address_line2", "town") if prop.get(k)]
    if lines:
        out["address"] = "\n".join(str(line) for line in lines)
    if prop.get("postcode"):
        out["postcode"] = prop["postcode"]
    disabled = next((p for p in people if p.get("is_disabled_person")), None)
    if disabled is not None:
        out["disabled_is_applicant"] = disabled is applicant
        if disabled is not applicant:
            out.update({"disabled_name": name(disabled), "disabled_relationship": _relationship(
                disabled.get("relationship"))})
            if born(disabled):
                out["disabled_date_of_birth"] = born(disabled)
    others = [p for p in people if p is not applicant and p is not disabled]
    if others:
        out["household"] = [{"name": name(p), **({"date_of_birth": born(p)} if born(p) else {}),
                             "relationship": _relationship(p.get("relationship"))} for p in others]
    if prop.get("tenure"):
        out["tenure"] = prop["tenure"]
    if prop.get("years_owned") is not None:
        out["years_owned"] = prop["years_owned"]
    if prop.get("landlord"):
        out["landlord_name"] = prop["landlord"]
    return out


def latest_answers(forms: Sequence[Mapping[str, Any]], form_id: str) -> Mapping[str, Any]:
    """The answers of the newest version of a form on the case ({} when there is none)."""
    latest = latest_form(forms, form_id)
    return (latest.get("answers") or {}) if latest else {}


def application_date(detail: Mapping[str, Any], today: date) -> tuple[date, bool]:
    """The application date, or today when the case has not applied yet (a provisional view)."""
    applied = (detail.get("stage_dates") or {}).get("application")
    return (applied, False) if applied else (today, True)


def _costed(works: Sequence[Mapping[str, Any]]) -> list[Any]:
    return works_items(works)


def works_items_data(works: Sequence[Mapping[str, Any]], schedule_rows: Sequence[Any]) -> list[dict[str, Any]]:
    """Each costed works item with its kind and s.23(1) purpose from the schedule of works form
    (matched by position), amounts in pounds; the VAT rounding penny rides on the last item so
    the items add up to the schedule's gross exactly."""
    items = _costed(works)
    gross = schedule_totals(items).gross
    amounts = [schedule_totals([item]).gross for item in items]
    if amounts:
        amounts[-1] += gross - sum(amounts)
    out = []
    for index, (item, amount) in enumerate(zip(items, amounts, strict=True)):
        row = schedule_rows[index] if index < len(schedule_rows) and isinstance(schedule_rows[index], Mapping) else {}
        kind = row.get("kind") or "works"
        out.append({"description": item.description, "amount": amount / 100, "kind": kind,
                    "purpose": (row.get("purpose") or None) if kind == "works" else None})
    return out


def early_start_reason(detail: Mapping[str, Any]) -> str:
    """The written consent to start before approval (4.1.7), as the schedule of works records it."""
    return str(latest_answers(detail.get("forms") or [], SCHEDULE_FORM).get("early_start_reason") or "").strip()


def applied_for(detail: Mapping[str, Any]) -> str:
    """The assistance the schedule of works applies for (DFG until it says otherwise)."""
    return str(latest_answers(detail.get("forms") or [], SCHEDULE_FORM).get("assistance_type") or "DFG")


def ot_recommends(answers: Mapping[str, Any]) -> bool | None:
    """The OT's 'necessary and appropriate' (4.1.6) over the recommended adaptations: yes when
    any is, no when every answered one is not, unknown when none is answered yet."""
    said = [row.get("necessary_and_appropriate") for row in answers.get("adaptations") or []
            if isinstance(row, Mapping) and row.get("necessary_and_appropriate") is not None]
    if not said:
        return None
    return any(_truthy(value) for value in said)


def summary_data(detail: Mapping[str, Any], today: date) -> dict[str, Any]:
    """The case as the JSON shape ``heart-desktop assess`` reads (amounts in pounds)."""
    case = detail["case"]
    on, _ = application_date(detail, today)
    people = [p for p in detail.get("people") or [] if not p.get("deleted")]
    applicant = next((p for p in people if p.get("is_applicant")), None)
    disabled = next((p for p in people if p.get("is_disabled_person")), None)

    def age(person: Mapping[str, Any] | None) -> int | None:
        born = person.get("date_of_birth") if person else None
        return age_on(born, on) if isinstance(born, date) else None

    others = [age(p) for p in people if p is not applicant and p is not disabled]
    prop = detail.get("property") or {}
    forms = detail.get("forms") or []
    answers = latest_answers(forms, APPLICATION_FORM)
    schedule = latest_answers(forms, SCHEDULE_FORM)
    wash = latest_answers(forms, WASH_FORM)
    ot_form = latest_form(forms, OT_FORM)
    flags = {str(f) for f in case.get("priority_flags") or []}
    hazards = [h for h in detail.get("hazards") or [] if not h.get("deleted")]
    data: dict[str, Any] = {
        "council": case.get("council"),
        "application_date": on.isoformat(),
        "tenure": prop.get("tenure") or answers.get("tenure"),
        "applicant_age": age(applicant),
        "disabled_person_age": age(disabled),
        "household_ages": [a for a in others if a is not None],
        "passported_benefit": _truthy(answers.get("qualifying_benefit", False)),
        # the officer's figure, named as such on the application form, until the means test lands
        "means_test_contribution": (0 if _truthy(answers.get("qualifying_benefit", False))
                                    else answers.get("means_test_contribution") or 0),
        "works_items": works_items_data(detail.get("works") or [], schedule.get("items") or []),
        "applied_for": schedule.get("assistance_type") or "DFG",
        "unforeseen_works_cost": schedule.get("unforeseen_works_cost") or 0,
        "unforeseen_approved_on": schedule.get("unforeseen_approved_on") or None,
        "hospital_discharge": "hospital_discharge" in flags or _truthy(answers.get("hospital_discharge", False)),
        "years_owned": prop.get("years_owned") if prop.get("years_owned") is not None else answers.get("years_owned"),
        "previous_awards": list(detail.get("previous_awards") or []),
        "health_risk": _truthy(wash.get("health_risk", answers.get("health_risk", False))),
        "reasonable_care": None if wash.get("reasonable_care") is None else _truthy(wash["reasonable_care"]),
        "category1_hazards": sum(1 for h in hazards if h.get("category") == 1),
        "ot_recommended": ot_recommends(ot_form.get("answers") or {}) if ot_form else None,
    }
    financial = _financial_facts(detail, on)
    if financial:  # the test of resources replaces the officer's contribution figure
        data.pop("means_test_contribution")
        data.update(financial)
    stage_dates = detail.get("stage_dates") or {}
    if stage_dates.get("approval"):
        data["approval_date"] = stage_dates["approval"].isoformat()
    if stage_dates.get("works_complete"):
        data["certified_date"] = stage_dates["works_complete"].isoformat()
    if stage_dates.get("works_start"):
        data["works_started"] = stage_dates["works_start"].isoformat()
        data["early_start_reason"] = early_start_reason(detail)
    return data


def _financial_facts(detail: Mapping[str, Any], on: date) -> dict[str, Any]:
    """The financial assessment's facts for the test of resources ({} when the case has none)."""
    from heart_desktop.store.means_facts import latest_financial, means_data

    answers = latest_financial(detail.get("forms") or [])
    return means_data(detail, answers, on) if answers is not None else {}


def case_summary(detail: Mapping[str, Any], councils: Sequence[str], today: date) -> CaseSummary:
    """The domain's view of the case; raises CaseInputError naming what is still missing."""
    data = summary_data(detail, today)
    if data["applicant_age"] is None:
        raise CaseInputError("applicant_age", "the applicant's date of birth is not recorded yet")
    if not data["tenure"]:
        raise CaseInputError("tenure", "the tenure is not recorded yet")
    summary = read_case_summary(data, tuple(councils), today=today)
    check_in_force(summary)  # an application before the policy took effect is refused here, by name
    return summary
