"""The award's inputs come from the store: earlier certified awards at the same home, the OT's
answer, the WaSH form, the officer's contribution field and the assistance applied for."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from heart_desktop.domain.assistance import decide
from heart_desktop.domain.policy import policy_set
from heart_desktop.store import Store
from heart_desktop.store.case_facts import case_summary

TODAY = date(2026, 11, 20)
COUNCILS = tuple(policy_set().councils)


def _case(store: Store, *, address: str = "12 Mill Road", tenure: str = "owner", stages: dict[str, date],
          forms: dict[str, dict[str, Any]], works: list[tuple[str, int]]) -> str:
    with store.transaction():
        case_id = store.cases.create("WDC", assigned_officer="T. Tester")
        store.people.insert({"case_id": case_id, "given_name": "Ann", "family_name": "Smith", "is_applicant": True,
                             "is_disabled_person": True, "date_of_birth": date(1948, 3, 14)})
        store.properties.insert({"case_id": case_id, "address_line1": address, "town": "Warwick",
                                 "postcode": "CV34 4RL", "tenure": tenure, "years_owned": 20})
        for position, (description, pence) in enumerate(works):
            store.works.insert({"case_id": case_id, "position": position, "location": "Hall",
                                "description": description, "quantity": Decimal(1), "unit": "item",
                                "rate_pence": pence, "vat_percent": Decimal(0)})
        for form_id, answers in forms.items():
            store.forms.start(case_id, form_id, "1.0", answers)
    store.stages.set_many(case_id, stages, today=TODAY)
    return case_id


def _decision(store: Store, case_id: str):
    return decide(case_summary(store.cases.detail(case_id, audit=False), COUNCILS, TODAY))


def test_an_earlier_certified_safety_grant_at_the_same_home_reduces_the_allowance(store: Store) -> None:
    _case(store, stages={"enquiry": date(2025, 1, 6), "application": date(2025, 1, 10),
                         "approval": date(2025, 1, 20), "works_complete": date(2025, 2, 3)},
          forms={"works_schedule": {"assistance_type": "HSG"}}, works=[("Grab rails", 30000)])
    other_home = _case(store, address="14 Mill Road", stages={"enquiry": date(2026, 10, 1),
                                                             "application": date(2026, 10, 5)},
                       forms={"works_schedule": {"assistance_type": "HSG"}}, works=[("Key safe", 40000)])
    later = _case(store, stages={"enquiry": date(2026, 10, 1), "application": date(2026, 10, 5)},
                  forms={"works_schedule": {"assistance_type": "HSG"}}, works=[("Key safe", 40000)])
    decision = _decision(store, later)
    assert decision.types["HSG"].allowance_left == 200_00
    assert (decision.award.hsg, decision.award.shortfall) == (200_00, 200_00)
    assert _decision(store, other_home).types["HSG"].allowance_left == 500_00  # another household


def test_an_uncertified_earlier_case_does_not_count(store: Store) -> None:
    _case(store, stages={"enquiry": date(2025, 1, 6), "application": date(2025, 1, 10)},
          forms={"works_schedule": {"assistance_type": "HSG"}}, works=[("Grab rails", 30000)])
    later = _case(store, stages={"enquiry": date(2026, 10, 1), "application": date(2026, 10, 5)},
                  forms={}, works=[])
    assert _decision(store, later).types["HSG"].allowance_left == 500_00


def test_form_answers_reach_the_decision(store: Store) -> None:
    case_id = _case(
        store, stages={"enquiry": date(2026, 10, 1), "application": date(2026, 10, 5)},
        forms={"application_details": {"qualifying_benefit": False, "means_test_contribution": "2500.00"},
               "wash_assessment": {"health_risk": True, "reasonable_care": True},
               "works_schedule": {"assistance_type": "WaSH",
                                  "items": [{"description": "Boiler", "kind": "works", "purpose": "i"},
                                            {"description": "Survey", "kind": "ancillary"}]},
               "ot_needs_assessment": {"adaptations": [{"necessary_and_appropriate": False}]}},
        works=[("Boiler", 550000), ("Survey", 50000)])
    store.hazards.rate(case_id, "excess_cold", 10, [10.0, 21.5, 31.6, 36.9], date(2026, 10, 2))
    summary = case_summary(store.cases.detail(case_id, audit=False), COUNCILS, TODAY)
    assert (summary.applied_for, summary.means_test_contribution, summary.health_risk) == ("WaSH", 2_500_00, True)
    assert summary.ot_recommended is False and summary.ancillary_cost == 500_00
    assert [item.purpose for item in summary.works_items] == ["i", None]
    award = decide(summary).award
    assert (award.customer_contribution, award.wash) == (2_500_00, 3_500_00)
    assert not decide(summary).types["DFG"].eligible  # the OT said no (4.1.6)


def test_a_council_tenants_adaptation_is_the_councils(store: Store) -> None:
    case_id = _case(store, tenure="council_tenant",
                    stages={"enquiry": date(2026, 10, 1), "application": date(2026, 10, 5)},
                    forms={"works_schedule": {"assistance_type": "DFG"}}, works=[("Level access shower", 1200000)])
    award = _decision(store, case_id).award
    assert (award.route, award.council_funded, award.shortfall) == ("council_housing", 12_000_00, 0)


def test_an_early_start_is_recorded_only_with_the_schedules_written_consent(store: Store) -> None:
    import pytest

    from heart_desktop.domain.casework import StageOrderError

    stages = {"enquiry": date(2026, 9, 1), "application": date(2026, 9, 10), "approval": date(2026, 10, 1)}
    case_id = _case(store, stages=stages, forms={}, works=[("Stairlift", 345000)])
    with pytest.raises(StageOrderError, match=r"4\.1\.7"):
        store.stages.set(case_id, "works_start", date(2026, 9, 20), today=TODAY)
    consented = _case(store, address="5 Elm Road", stages=stages, works=[("Stairlift", 345000)],
                      forms={"works_schedule": {"assistance_type": "DFG",
                                                "early_start_reason": "Emergency: consent by J. Patel, 18/09/2026"}})
    store.stages.set(consented, "works_start", date(2026, 9, 20), today=TODAY)
    decision = _decision(store, consented)
    assert decision.types["DFG"].eligible and "written consent recorded" in " ".join(
        str(r) for r in decision.types["DFG"].reasons)


def test_the_demo_has_households_whose_safety_grant_is_partly_used(store: Store) -> None:
    from heart_desktop.store import demo

    demo.generate(store, 300, seed=1, as_of=TODAY)
    left = set()
    for (case_id,) in store.conn.execute("SELECT id FROM cases WHERE visit_on IS NOT NULL").fetchall():
        detail = store.cases.detail(case_id, audit=False)
        if detail["previous_awards"]:
            left.add(decide(case_summary(detail, COUNCILS, TODAY)).types["HSG"].allowance_left)
    assert any(amount is not None and amount < 500_00 for amount in left)


def test_an_application_before_the_policy_is_refused_by_name(store: Store) -> None:
    import pytest

    from heart_desktop.domain.case_summary import CaseInputError

    case_id = _case(store, stages={"enquiry": date(2017, 1, 2), "application": date(2017, 3, 1)}, forms={},
                    works=[("Rail", 5000)])
    with pytest.raises(CaseInputError) as caught:
        case_summary(store.cases.detail(case_id, audit=False), COUNCILS, TODAY)
    assert caught.value.field == "application_date" and "30/06/2017" in caught.value.problem


def test_unforeseen_works_from_the_schedule_are_a_variation(store: Store) -> None:
    stages = {"enquiry": date(2026, 9, 1), "application": date(2026, 9, 10)}
    approved = _case(store, stages=stages, works=[("Shower", 2_900_000)],
                     forms={"works_schedule": {"assistance_type": "DFG", "unforeseen_works_cost": "2000.00",
                                               "unforeseen_approved_on": "2026-10-20"}})
    award = _decision(store, approved).award
    assert (award.works_cost, award.dfg, award.ddfa_grant) == (31_000_00, 30_000_00, 1_000_00)
    assert award.unforeseen_cost == 2_000_00
    unapproved = _case(store, address="9 Elm Road", stages=stages, works=[("Shower", 2_900_000)],
                       forms={"works_schedule": {"assistance_type": "DFG", "unforeseen_works_cost": "2000.00"}})
    assert _decision(store, unapproved).award.not_eligible == 2_000_00
