"""The shipped forms behave as the policy says (totals, conditions, urgency)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from heart_desktop.formkit import Computed, FormEngine, load_form
from heart_desktop.paths import forms_dir

TODAY = date(2026, 11, 23)
SHA = "c" * 64
SIGNED = {"sha256": SHA, "signed_at": "2026-11-20T10:00:00"}


def engine(name: str, **kwargs: object) -> FormEngine:
    return FormEngine(load_form(forms_dir() / f"{name}.yaml"), today=TODAY, **kwargs)  # type: ignore[arg-type]


def finding(cost: str, work: str = "grab_rails") -> dict:
    return {"hazard": "No rail by the bath", "remedial_work": work, "cost": cost, "agreed_by_customer": True}


def test_home_safety_total_of_all_areas() -> None:
    answers = {
        "visit_date": "2026-11-20",
        "falls_checked": True,
        "falls_findings": [finding("45.00"), finding("12.50", "trailing_wires")],
        "fire_safety_checked": True,
        "fire_safety_findings": [finding("30.00", "smoke_alarm")],
        "mobility_checked": False,
    }
    state = engine("home_safety_check").evaluate(answers)
    assert state.calculated["total_cost"] == Decimal("87.50")


def test_home_safety_allowance_comes_from_the_case_context() -> None:
    context = {"assistance.hsg_allowance_left": Computed(38500, "£385.00 left of £500")}
    state = engine("home_safety_check", context=context).evaluate({})
    assert state.computed["allowance_left"].text == "£385.00 left of £500"
    plain = engine("home_safety_check").evaluate({})
    assert plain.computed["allowance_left"].problem  # said plainly, not invented


def test_home_safety_other_work_needs_describing() -> None:
    answers = {"falls_checked": True, "falls_findings": [finding("10.00", "other")]}
    missing = {p.path for p in engine("home_safety_check").missing(answers)}
    assert "falls_findings/0/remedial_other" in missing
    assert "mobility_checked" in missing


def test_home_safety_complete() -> None:
    answers = {"visit_date": "2026-11-20", "customer_name": "A Customer", "customer_signature": SIGNED}
    for area in ("falls", "mobility", "hot_surfaces", "warm_home", "security", "fire_safety"):
        answers[f"{area}_checked"] = True
    answers["security_findings"] = [finding("25.00", "key_safe")]
    ok, problems = engine("home_safety_check").can_complete(answers)
    assert ok, [str(p) for p in problems]


def test_works_schedule_rows_feed_the_domain_totals() -> None:
    items = [
        {
            "location": "Bathroom",
            "description": "Level access shower",
            "quantity": "1",
            "unit": "item",
            "rate": "4500.00",
            "vat_rate": "0",
        },
        {
            "location": "Hall",
            "description": "Grab rail",
            "quantity": "2",
            "unit": "nr",
            "rate": "25.50",
            "vat_rate": "20",
        },
    ]
    state = engine("works_schedule").evaluate({"assistance_type": "DFG", "prepared_on": "2026-11-20", "items": items})
    totals = state.computed["works_totals"].value
    assert totals.net == 455100 and totals.vat == 1020 and totals.gross == 456120
    assert state.calculated["items/1/line_net"] == Decimal("51.00")
    assert state.calculated["item_count"] == 2
    assert state.complete, [str(p) for p in state.problems]


def test_works_schedule_needs_an_item_and_a_positive_quantity() -> None:
    works = engine("works_schedule")
    assert "items" in {p.path for p in works.missing({})}
    bad = {
        "items": [
            {"location": "Hall", "description": "Rail", "quantity": "0", "unit": "nr", "rate": "1.00", "vat_rate": "20"}
        ]
    }
    problems = {p.path: p.message for p in works.invalid(bad)}
    assert problems["items/0/quantity"] == "The quantity must be more than 0."


def test_ot_urgency_and_need_text() -> None:
    ot = engine("ot_needs_assessment")
    answers = {
        "hospital_discharge": True,
        "unable_to_remain_safely": False,
        "immediate_danger": False,
        "adl_hygiene": {"difficulty": "unable"},
    }
    state = ot.evaluate(answers)
    assert state.calculated["urgent"] is True
    missing = {p.path for p in state.missing}
    assert {"urgency_reason", "adl_hygiene/need", "adl_toilet/difficulty", "adaptations"} <= missing
    assert state.shown["discharge_date"]
    calm = ot.evaluate({"hospital_discharge": False, "unable_to_remain_safely": False, "immediate_danger": False})
    assert calm.calculated["urgent"] is False and not calm.shown["urgency_reason"]


def test_application_tenant_needs_landlord_owner_needs_years() -> None:
    app = engine("application_details")
    tenant = {p.path for p in app.missing({"tenure": "private_tenant"})}
    assert {"landlord_name", "landlord_address", "tenants_certificate", "landlord_consent"} <= tenant
    assert "years_owned" not in tenant
    owner = {p.path for p in app.missing({"tenure": "owner"})}
    assert {"years_owned", "owners_certificate"} <= owner and "landlord_name" not in owner


def test_application_benefits_and_consent() -> None:
    app = engine("application_details")
    assert "benefits" in {p.path for p in app.missing({"qualifying_benefit": True})}
    invalid = {p.path: p.message for p in app.invalid({"consent_to_share": False, "right_to_reside": False})}
    assert "5.3" in invalid["consent_to_share"] and "5.11" in invalid["right_to_reside"]


def test_application_checks_ni_number_and_warwickshire_postcode() -> None:
    app = engine("application_details")
    invalid = {p.path: p.message for p in app.invalid({"applicant_ni_number": "QQ123456C", "postcode": "SW1A 1AA"})}
    assert "National Insurance" in invalid["applicant_ni_number"]
    assert "outside Warwickshire" in invalid["postcode"]
    fine = {p.path for p in app.invalid({"applicant_ni_number": "AB 12 34 56 C", "postcode": "CV34 4RL"})}
    assert not fine & {"applicant_ni_number", "postcode"}


def test_application_complete_for_an_owner() -> None:
    answers = {
        "applicant_name": "Ann Example",
        "applicant_date_of_birth": "1948-02-03",
        "applicant_ni_number": "AB 12 34 56 C",
        "address": "1 High Street, Warwick",
        "postcode": "CV34 4RL",
        "right_to_reside": True,
        "disabled_is_applicant": True,
        "household": [{"name": "Bob Example", "date_of_birth": "1946-05-06", "relationship": "partner"}],
        "tenure": "owner",
        "years_owned": 30,
        "owners_certificate": True,
        "qualifying_benefit": True,
        "benefits": ["pension_credit_guarantee"],
        "consent_to_share": True,
        "declaration_date": "2026-11-20",
        "applicant_signature": SIGNED,
    }
    state = engine("application_details").evaluate(answers)
    assert state.complete, [str(p) for p in state.problems]
    assert state.calculated["household_size"] == 2
