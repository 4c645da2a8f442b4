"""From the case and its financial assessment form to the test of resources' input.

The one place that turns the form's answers (amounts as paid, with their period) and the case's
people (the disabled person's date of birth) into the JSON shape ``domain.means_test`` reads, so the
Means test tab, the Eligibility tab, the pack and ``heart-desktop assess`` all run the same test on
the same facts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from heart_desktop.domain.case_summary import CaseInputError
from heart_desktop.domain.dates import age_on
from heart_desktop.domain.money import MoneyError, Pence, pence, pounds
from heart_desktop.domain.periods import PeriodError, to_weekly
from heart_desktop.domain.validate import parse_date
from heart_desktop.store.case_facts import APPLICATION_FORM, application_date, latest_answers, latest_form

FINANCIAL_FORM = "financial_assessment"
AMOUNTS: dict[str, tuple[str, str]] = {  # answer -> (whose, which income)
    "disabled_earnings": ("disabled", "weekly_earnings"),
    "disabled_pensions": ("disabled", "weekly_income"),
    "disabled_other_income": ("disabled", "weekly_income"),
    "partner_earnings": ("partner", "weekly_earnings"),
    "partner_pensions": ("partner", "weekly_income"),
    "partner_other_income": ("partner", "weekly_income"),
}


def _pence(value: Any) -> Pence:
    """A money answer ("1250.50") as pence; a blank or unreadable one counts as nothing (the form
    itself marks it)."""
    if value in (None, "") or isinstance(value, bool):
        return 0
    try:
        return max(pence(value), 0)
    except MoneyError:
        return 0


def weekly(group: Any) -> Pence:
    """A {amount, period} answer as pence a week (nothing until both are given)."""
    if not isinstance(group, Mapping):
        return 0
    amount = _pence(group.get("amount"))
    if not amount:
        return 0
    try:
        return to_weekly(amount, str(group.get("period") or "week")).weekly
    except PeriodError:
        return 0


def _born(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return parse_date(str(value)) if value else None
    except ValueError:
        return None


def _money_text(amount: Pence) -> str:
    return str(pounds(amount))


def _rates(on: date) -> Any:
    from heart_desktop.domain.means_rates import rate_book

    return rate_book().on(on)


def _name(person: Mapping[str, Any]) -> str:
    return " ".join(str(person.get(k) or "") for k in ("given_name", "family_name")).strip()


def means_data(detail: Mapping[str, Any], answers: Mapping[str, Any], on: date) -> dict[str, Any]:
    """The financial facts (``people``, ``capital`` ...) in the shape ``read_means_input`` reads,
    amounts in pounds a week; raises CaseInputError naming what the case still lacks."""
    people = [p for p in detail.get("people") or [] if not p.get("deleted")]
    disabled = next((p for p in people if p.get("is_disabled_person")), None)
    if disabled is None:
        raise CaseInputError("disabled_person", "nobody on the case is recorded as the disabled person")
    born = _born(disabled.get("date_of_birth"))
    if born is None:
        raise CaseInputError("disabled_person_age", "the disabled person's date of birth is not recorded yet")
    totals: dict[tuple[str, str], Pence] = {}
    for answer, key in AMOUNTS.items():
        totals[key] = totals.get(key, 0) + weekly(answers.get(answer))
    out: list[dict[str, Any]] = [{
        "age": age_on(born, on), "relation": "disabled_person", "name": _name(disabled),
        "weekly_income": _money_text(totals[("disabled", "weekly_income")]),
        "weekly_earnings": _money_text(totals[("disabled", "weekly_earnings")]),
        "benefits": list(answers.get("disabled_benefits") or []),
        "paid_carer": answers.get("paid_carer") is True,
    }]
    if answers.get("has_partner") is True:
        partner_born = _born(answers.get("partner_date_of_birth"))
        if partner_born is None:
            raise CaseInputError("partner_date_of_birth", "the partner's date of birth is needed for the test")
        out.append({"age": age_on(partner_born, on), "relation": "partner",
                    "name": str(answers.get("partner_name") or "").strip(),
                    "weekly_income": _money_text(totals[("partner", "weekly_income")]),
                    "weekly_earnings": _money_text(totals[("partner", "weekly_earnings")]),
                    "benefits": list(answers.get("partner_benefits") or [])})
    for index, row in enumerate(answers.get("dependants") or []):
        child_born = _born(row.get("date_of_birth")) if isinstance(row, Mapping) else None
        if child_born is None:
            raise CaseInputError(f"dependants[{index}].date_of_birth", "each dependant's date of birth is needed")
        out.append({"age": age_on(child_born, on), "relation": "child", "name": str(row.get("name") or "").strip(),
                    "benefits": list(row.get("benefits") or [])})
    if answers.get("other_adults") is True:  # only their being adults matters to the test
        out.append({"age": _rates(on).age("age.adult"), "relation": "other", "name": "another adult"})
    data: dict[str, Any] = {
        "people": out,
        "capital": _money_text(_pence(answers.get("savings")) + _pence(answers.get("other_property"))),
        "childcare_costs": _money_text(weekly(answers.get("childcare"))),
    }
    earlier = _pence(answers.get("earlier_contribution"))
    if earlier:
        data["previous_contribution"] = _money_text(earlier)
        data["previous_certified_date"] = answers.get("earlier_certified_date") or None
    calculator = _pence(answers.get("calculator_contribution"))
    if calculator:
        data["council_calculator"] = {"contribution": _money_text(calculator),
                                      "source": str(answers.get("calculator_source") or "").strip()}
    return data


def latest_financial(forms: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The answers of the newest financial assessment on the case, or None when it has none."""
    row = latest_form(forms, FINANCIAL_FORM)
    return (row.get("answers") or {}) if row is not None else None


def with_answers(detail: Mapping[str, Any], answers: Mapping[str, Any]) -> dict[str, Any]:
    """The case as if its financial assessment held ``answers`` (the ones on screen, not yet saved)."""
    live = {"id": "on-screen", "form_id": FINANCIAL_FORM, "answers": dict(answers), "status": "draft",
            "updated_at": "~on-screen"}  # sorts after every stored timestamp: the newest version
    return {**detail, "forms": [*(detail.get("forms") or []), live]}


def means_result(detail: Mapping[str, Any], today: date, answers: Mapping[str, Any] | None = None) -> Any:
    """The test of resources for the case (on its application date, or today before it applies),
    from ``answers`` or the stored form; None when there is no financial assessment."""
    from heart_desktop.domain.means_test import means_test, read_means_input

    if answers is None:
        answers = latest_financial(detail.get("forms") or [])
        if answers is None:
            return None
    on, _provisional = application_date(detail, today)
    prop = detail.get("property") or {}
    tenure = prop.get("tenure") or latest_answers(detail.get("forms") or [], APPLICATION_FORM).get("tenure")
    data = {"application_date": on.isoformat(), "tenure": tenure, "council": (detail.get("case") or {}).get("council"),
            **means_data(detail, answers, on)}
    return means_test(read_means_input(data))


PARTNER_WORDS = frozenset({"partner", "spouse"})
CHILD_WORDS = frozenset({"child", "son", "daughter"})


def starting_answers(detail: Mapping[str, Any], today: date | None = None) -> dict[str, Any]:
    """A new financial assessment begins with what the case already knows of the household: the
    disabled person's partner and date of birth, the dependent children, whether other adults live
    there. The officer checks them with the customer; nothing is asked twice."""
    on = today or date.today()
    people = [p for p in detail.get("people") or [] if not p.get("deleted")]
    disabled = next((p for p in people if p.get("is_disabled_person")), None)
    if disabled is None:
        return {}
    applicant = next((p for p in people if p.get("is_applicant")), None)
    partner = None
    if disabled is applicant:
        partner = next((p for p in people if p is not disabled and p.get("relationship") in PARTNER_WORDS), None)
    elif disabled.get("relationship") in PARTNER_WORDS:
        partner = applicant
    rates = _rates(on)
    young, adult = rates.age("relevant_person.young_person_under"), rates.age("age.adult")

    def age(person: Mapping[str, Any]) -> int | None:
        born = _born(person.get("date_of_birth"))
        return age_on(born, on) if born is not None else None

    children = []
    if disabled is applicant or partner is applicant:
        children = [p for p in people
                    if p.get("relationship") in CHILD_WORDS and (years := age(p)) is not None and years < young]
    others = [p for p in people
              if p not in (disabled, partner, *children) and ((years := age(p)) is None or years >= adult)]
    answers: dict[str, Any] = {"has_partner": partner is not None, "other_adults": bool(others)}
    if partner is not None:
        answers["partner_name"] = _name(partner)
        born = _born(partner.get("date_of_birth"))
        if born is not None:
            answers["partner_date_of_birth"] = born.isoformat()
    if children:
        answers["dependants"] = [{"name": _name(c), "date_of_birth": str(_born(c.get("date_of_birth")))}
                                 for c in children]
    return answers
