"""Synthetic visit-form answers for the demo store, in the shapes ``forms/*.yaml`` define.

Kept apart from ``demo.py`` (which writes rows) so the answers can be checked against the form
definitions: a demo form marked complete or signed must pass the same completion gate an officer
meets (tests/store/test_demo_answers.py). Every value is invented from the seeded generator.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from heart_desktop.domain.signatures import signature_digest

FORM_VERSION = "1.0"

# demo household relationships -> the application form's relationship choices
RELATIONSHIP_CHOICES = {"spouse": "partner", "partner": "partner", "son": "child", "daughter": "child",
                        "grandchild": "other_relative", "lodger": "lodger", "parent": "parent"}
QUALIFYING_BENEFITS = ("universal_credit", "pension_credit_guarantee", "income_related_esa", "income_support")
SAFETY_AREAS = ("falls", "mobility", "hot_surfaces", "warm_home", "security", "fire_safety")
SAFETY_FINDINGS = {
    "falls": (("Loose hall runner", "Hall", "carpet_tacking", "25.00"),
              ("No rail by back step", "Back door", "grab_rails", "45.00"),
              ("Trailing lamp cable", "Living room", "trailing_wires", "30.00")),
    "mobility": (("Bathroom door sticks", "Bathroom", "doors_refit_ease", "60.00"),
                 ("Half step into kitchen", "Kitchen", "internal_ramps", "85.00")),
    "hot_surfaces": (("Exposed radiator by bed", "Bedroom", "advice_only", None),),
    "warm_home": (("Draughty front door", "Hall", "refer_on", None),),
    "security": (("Customer cannot reach door for carers", "Front door", "key_safe", "65.00"),
                 ("No door chain", "Front door", "door_chain", "20.00")),
    "fire_safety": (("No working smoke alarm upstairs", "Landing", "smoke_alarm", "40.00"),),
}
OT_OUTCOMES = ("nutrition", "hygiene", "toilet", "clothing", "safe_home", "habitable_home", "relationships",
               "work_education", "community", "caring")
OT_ADAPTATIONS = (("level_access_shower", ("hygiene",)), ("stairlift_straight", ("toilet", "safe_home")),
                  ("ramp", ("community", "safe_home")), ("hoist", ("hygiene", "safe_home")),
                  ("toilet_adaptation", ("toilet",)), ("kitchen_adaptation", ("nutrition",)))
CONDITIONS = ("Osteoarthritis of both knees", "Multiple sclerosis", "Stroke with left-sided weakness",
              "Parkinson's disease", "COPD, breathless on exertion", "Cerebral palsy", "Heart failure")


def signature(rng: random.Random, name: str, signed_at: str) -> dict[str, Any]:
    """A believable scribble: a few strokes of a damped wave, in the pad's 0..1 coordinates."""
    strokes = []
    x = 0.08
    for _ in range(rng.randint(2, 3)):
        width = rng.uniform(0.2, 0.32)
        phase, amplitude = rng.uniform(0, math.pi), rng.uniform(0.12, 0.25)
        points = []
        for step in range(24):
            t = step / 23
            px = x + t * width
            py = 0.55 + amplitude * math.sin(phase + t * rng.uniform(7, 11)) * (1 - 0.5 * t)
            points.append([round(px, 4), round(min(max(py, 0.05), 0.95), 4)])
        strokes.append(points)
        x += width + 0.04
    return {"sha256": signature_digest(strokes), "signed_at": signed_at, "name": name, "strokes": strokes}


def application_details(rng: random.Random, *, applicant: tuple[str, date], disabled: tuple[str, date, str] | None,
                        household: list[tuple[str, date, str]], address: str, postcode: str, phone: str | None,
                        tenure: str, years_owned: int | None, on: date, signed: bool,
                        contribution: int = 0) -> dict[str, Any]:
    """The application form; ``disabled`` is None when the applicant is the disabled person;
    ``contribution`` is the officer's assessed contribution in pounds (until the means test form)."""
    answers: dict[str, Any] = {
        "applicant_name": applicant[0],
        "applicant_date_of_birth": applicant[1].isoformat(),
        "applicant_ni_number": f"AB{rng.randint(0, 999999):06d}{rng.choice('ABCD')}",
        "address": address,
        "postcode": postcode,
        "right_to_reside": True,
        "disabled_is_applicant": disabled is None,
        "household": [{"name": name, "date_of_birth": born.isoformat(),
                       "relationship": RELATIONSHIP_CHOICES.get(relationship, "other")}
                      for name, born, relationship in household],
        "tenure": tenure,
        "consent_to_share": True,
        "declaration_date": on.isoformat(),
    }
    if phone:
        answers["phone"] = phone
    if disabled is not None:
        answers.update({"disabled_name": disabled[0], "disabled_date_of_birth": disabled[1].isoformat(),
                        "disabled_relationship": RELATIONSHIP_CHOICES.get(disabled[2], "other")})
    if tenure == "owner":
        answers.update({"years_owned": years_owned or 1, "owners_certificate": True})
    else:
        answers.update({"landlord_name": "Landlord on file", "landlord_address": "Address held by the council",
                        "tenants_certificate": True,
                        "landlord_consent": rng.choice(("given", "given", "requested"))})
    on_benefit = rng.random() < 0.4
    answers["qualifying_benefit"] = on_benefit
    if on_benefit:
        answers["benefits"] = [rng.choice(QUALIFYING_BENEFITS)]
        answers["benefit_evidence_seen"] = True
    elif contribution:
        answers["means_test_contribution"] = f"{contribution}.00"
    if signed:
        answers["applicant_signature"] = signature(rng, applicant[0], f"{on.isoformat()}T11:30:00")
    return answers


def home_safety_check(rng: random.Random, on: date, customer: str, agreed: bool) -> dict[str, Any]:
    """Every area looked at; a finding in some, costed well inside the £500 allowance; ``agreed``
    adds the customer's signature (a finished check)."""
    answers: dict[str, Any] = {"visit_date": on.isoformat(), "customer_name": customer}
    budget = 0
    for area in SAFETY_AREAS:
        answers[f"{area}_checked"] = True
        rows = []
        for hazard, where, work, cost in rng.sample(SAFETY_FINDINGS[area], rng.randint(0, 1)):
            if cost is not None and budget + float(cost) > 300:
                continue
            budget += float(cost or 0)
            row: dict[str, Any] = {"hazard": hazard, "location": where, "remedial_work": work,
                                   "agreed_by_customer": True}
            if cost is not None:
                row["cost"] = cost
            if work == "refer_on":
                row["remedial_other"] = "Referred to the energy efficiency scheme"
            rows.append(row)
        if rows:
            answers[f"{area}_findings"] = rows
        else:
            answers[f"{area}_observations"] = "Nothing to put right."
    if agreed:
        answers["customer_signature"] = signature(rng, customer, f"{on.isoformat()}T10:45:00")
    return answers


def safety_check_cost_pence(answers: dict[str, Any]) -> int:
    """The agreed remedial work's total, as the safety grant decision records it."""
    costs = [row.get("cost") for area in SAFETY_AREAS for row in answers.get(f"{area}_findings", [])]
    return sum(int(Decimal(cost) * 100) for cost in costs if cost)


def ot_needs_assessment(rng: random.Random, on: date, *, hospital_discharge: bool, ot_name: str,
                        signed: bool) -> dict[str, Any]:
    """Daily living by the KPI 1 to 10 outcomes, and the adaptations recommended for them."""
    answers: dict[str, Any] = {
        "assessment_date": on.isoformat(),
        "assessment_setting": "hospital" if hospital_discharge else "home_visit",
        "conditions": rng.choice(CONDITIONS),
        "care_act_need": True,
        "hospital_discharge": hospital_discharge,
        "unable_to_remain_safely": False,
        "immediate_danger": False,
        "ot_name": ot_name,
    }
    if hospital_discharge:
        answers["discharge_date"] = (on + timedelta(days=rng.randint(3, 14))).isoformat()
        answers["urgency_reason"] = "Ready for discharge once the adaptation is in place"
    chosen = rng.sample(OT_ADAPTATIONS, rng.randint(1, 2))
    needs = {outcome for _, outcomes in chosen for outcome in outcomes}
    for outcome in OT_OUTCOMES:
        if outcome in needs:
            answers[f"adl_{outcome}"] = {"difficulty": rng.choice(("some_difficulty", "unable")),
                                         "need": "Cannot manage safely without an adaptation"}
        else:
            answers[f"adl_{outcome}"] = {"difficulty": rng.choice(("independent", "not_applicable"))}
    answers["adaptations"] = [{"adaptation": adaptation, "meets_needs": list(outcomes),
                               "necessary_and_appropriate": True,
                               "reason": "Meets the assessed need at the lowest reasonable cost"}
                              for adaptation, outcomes in chosen]
    if signed:
        answers["ot_signature"] = signature(rng, ot_name, f"{on.isoformat()}T15:00:00")
    return answers


# demo property types -> the HHSRS form's dwelling choices
DWELLING_CHOICES = {"semi-detached house": "house", "terraced house": "house", "detached house": "house",
                    "bungalow": "bungalow", "ground floor flat": "flat", "first floor flat": "flat",
                    "maisonette": "maisonette"}
# what an officer notes for each hazard the demo rates (keys of either scheme)
HAZARD_NOTES = {
    "falls_on_stairs": ("Steep stair with no second handrail", "Worn nosings, poor light on the landing"),
    "falls_on_level": ("Uneven threshold at the back door", "Loose hall runner, trailing cables"),
    "falls_between_levels": ("Unguarded drop from the back step", "Low window sill on the landing"),
    "falls_with_baths": ("Bath too deep to step into safely", "No grab rail by the bath"),
    "excess_cold": ("Single glazing, no heating upstairs", "Storage heaters only, bedroom unheated"),
    "damp_and_mould_growth": ("Mould on the bedroom wall behind the wardrobe", "Condensation in the bathroom"),
    "fire": ("No smoke alarm on the landing", "Chip pan in use, no fire blanket"),
    "fire_and_explosions": ("No smoke alarm on the landing", "Gas hob next to a curtain"),
    "flames_hot_surfaces": ("Exposed radiator by the bed", "Cooker beside the back door"),
    "electrical_hazards": ("Overloaded sockets in the kitchen", "Old fuse box, no RCD"),
    "entry_by_intruders": ("Rear door does not lock", "Ground floor window latch broken"),
    "personal_hygiene": ("Customer cannot use the bath or shower", "Only toilet is upstairs"),
    "domestic_hygiene": ("Only toilet is upstairs", "No space to wash down at the sink"),
    "collision_and_entrapment": ("Door closes on the wheelchair", "Narrow doorway to the kitchen"),
    "collisions_entrapment_ergonomics": ("Door closes on the wheelchair", "Worktop too high to use seated"),
}


def hazard_note(rng: random.Random, hazard: str) -> str:
    return rng.choice(HAZARD_NOTES.get(hazard, ("Found at the visit; see the photos",)))


# the case's assistance types -> the schedule of works form's choices
SCHEDULE_ASSISTANCE = {"DFG": "DFG", "DDFA": "DDFA", "HDG": "HDG", "Home Safety": "HSG", "WaSH": "WaSH"}
CONTRACTORS = ("Avon Valley Adaptations Ltd", "Arden Access Builders", "Leam Mobility Installations",
               "Tame Valley Home Improvements")


def hhsrs_assessment(rng: random.Random, on: date, *, dwelling: str, officer: str,
                     ratings: list[tuple[str, int, tuple[float, ...], str]], signed: bool) -> dict[str, Any]:
    """The hazards rated at the visit, in the form's terms: likelihood 1 in N and the spread of
    harm over classes I to III as scale points written as the form writes them ("2.2")."""
    answers: dict[str, Any] = {
        "inspection_start": on.isoformat(),
        "property_type": DWELLING_CHOICES.get(dwelling, "other"),
        "property_age": rng.choice(("pre_1920", "from_1920_to_1945", "from_1946_to_1979", "from_1980")),
        "hazards": {key: {"assessed": True, "likelihood": f"{likelihood:g}", "class_i": f"{harm[0]:g}",
                          "class_ii": f"{harm[1]:g}", "class_iii": f"{harm[2]:g}",
                          "notes": note}
                    for key, likelihood, harm, note in ratings},
        "escalate": False,
        "officer_name": officer,
    }
    if signed:
        answers["officer_signature"] = signature(rng, officer, f"{on.isoformat()}T12:30:00")
    return answers


def wash_assessment(rng: random.Random) -> dict[str, Any]:
    """The WaSH form: most WaSH cases have an agreed health risk; reasonable care is the rule."""
    risk = rng.random() < 0.8
    answers: dict[str, Any] = {"health_risk": risk, "reasonable_care": rng.random() < 0.95}
    if risk:
        answers["health_condition"] = rng.choice((
            "COPD made worse by the cold bedroom; heating and insulation relieve it.",
            "Arthritis and repeated falls on the uneven rear path; levelling it removes the hazard.",
            "Asthma aggravated by damp and mould in the back bedroom."))
    return answers


def works_schedule(rng: random.Random, on: date, *, assistance: list[str], items: list[dict[str, str]],
                   reference: str) -> dict[str, Any]:
    """The costed schedule as the officer prepared it: the same rows as the case's works items."""
    chosen = next((SCHEDULE_ASSISTANCE[a] for a in assistance if a in SCHEDULE_ASSISTANCE), "DFG")
    return {"assistance_type": chosen, "prepared_on": on.isoformat(), "contractor": rng.choice(CONTRACTORS),
            "quote_reference": f"Q-{reference.replace('/', '-')}", "items": items}


MONEY_PERIODS = ("week", "fortnight", "four_weeks", "month", "year")
PER_WEEK = {"week": Decimal(1), "fortnight": Decimal(2), "four_weeks": Decimal(4), "month": Decimal(52) / 12,
            "year": Decimal(52)}
DISABILITY_BENEFITS = ("pip_daily_living_standard", "pip_daily_living_enhanced", "dla_care_middle",
                       "attendance_allowance", "pip_mobility_standard")


def _paid(rng: random.Random, weekly_low: int, weekly_high: int) -> dict[str, Any]:
    """An amount as the customer is paid it (a month, four weeks ...), about ``weekly_low``-``high`` a week."""
    period = rng.choice(MONEY_PERIODS)
    weekly = Decimal(rng.randint(weekly_low * 100, weekly_high * 100)) / 100
    return {"amount": f"{(weekly * PER_WEEK[period]).quantize(Decimal('0.01'))}", "period": period}


def financial_assessment(rng: random.Random, *, age: int, partner: tuple[str, date] | None,
                         children: list[tuple[str, date]], other_adults: bool, pension_age: int,
                         passport: str | None) -> dict[str, Any]:
    """The test of resources' answers for an adult disabled person: ``passport`` (a qualifying benefit
    the application form records) short-cuts it; otherwise pensions at pension age, earnings or other
    income below it, some savings, and the evidence seen (a few items still to see)."""
    pensioner = age >= pension_age
    answers: dict[str, Any] = {"has_partner": partner is not None, "other_adults": other_adults,
                               "paid_carer": rng.random() < 0.15}
    benefits = [passport] if passport else []
    if rng.random() < 0.5:
        benefits.append(rng.choice(DISABILITY_BENEFITS))
    if pensioner and not passport:
        benefits.append("state_pension")
    answers["disabled_benefits"] = benefits
    answers["disabled_benefits_evidence"] = True
    if partner is not None:
        answers.update({"partner_name": partner[0], "partner_date_of_birth": partner[1].isoformat(),
                        "partner_benefits": [], "partner_benefits_evidence": True})
    if children:
        answers["dependants"] = [{"name": name, "date_of_birth": born.isoformat()} for name, born in children]
    if passport:
        return answers
    if pensioner:
        answers["disabled_pensions"] = _paid(rng, 180, 420)
        answers["disabled_pensions_evidence"] = True
    elif rng.random() < 0.6:
        answers["disabled_earnings"] = _paid(rng, 150, 520)
        answers["disabled_earnings_evidence"] = rng.random() < 0.8
    else:
        answers["disabled_other_income"] = _paid(rng, 80, 160)
        answers["disabled_other_income_evidence"] = True
    if partner is not None and rng.random() < 0.5:
        answers["partner_earnings" if not pensioner else "partner_pensions"] = _paid(rng, 90, 380)
        answers["partner_earnings_evidence" if not pensioner else "partner_pensions_evidence"] = True
    savings = rng.choice((0, 0, 850, 2400, 5200, 7400, 12500, 23000))
    answers["savings"] = f"{savings}.00"
    answers["savings_evidence"] = rng.random() < 0.7  # "fetching the bank statement" on some
    return answers
