"""Demo forms are the forms an officer would have filled: what is marked complete or signed passes
the completion gate of its definition, and every demo case with a visit can be judged."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date

from heart_desktop.domain.policy import policy_set
from heart_desktop.formkit import FormEngine, check_all_forms
from heart_desktop.paths import forms_dir
from heart_desktop.store import Store, demo
from heart_desktop.store.case_facts import case_summary

AS_OF = date(2026, 10, 30)
CONTEXT = {"assistance.hsg_allowance_left": "500.00", "assistance.hsg_allowance_check": "Within the allowance"}


def test_completed_and_signed_demo_forms_pass_their_definitions(store: Store) -> None:
    demo.generate(store, 80, seed=11, as_of=AS_OF)
    forms = {form.id: form for form in check_all_forms(forms_dir())}
    rows = store.conn.execute("SELECT form_id, form_version, status, answers FROM form_submissions").fetchall()
    seen: Counter[tuple[str, str]] = Counter()
    for form_id, version, status, answers_json in rows:
        form = forms[form_id]
        assert version == form.version
        seen[(form_id, status)] += 1
        if status == "draft":
            continue
        ok, problems = FormEngine(form, today=AS_OF, context=CONTEXT).can_complete(json.loads(answers_json))
        assert ok, f"{form_id} ({status}): {[str(p) for p in problems]}"
    for form_id in ("application_details", "home_safety_check", "ot_needs_assessment", "hhsrs_assessment",
                    "works_schedule"):
        assert any(k[0] == form_id and k[1] != "draft" for k in seen), f"no finished {form_id} in the demo"


def test_every_demo_case_with_a_visit_can_be_judged(store: Store) -> None:
    demo.generate(store, 60, seed=5, as_of=AS_OF)
    councils = list(policy_set().councils)
    judged = 0
    for (case_id,) in store.conn.execute("SELECT id FROM cases WHERE visit_on IS NOT NULL").fetchall():
        summary = case_summary(store.cases.detail(case_id, audit=False), councils, AS_OF)
        assert summary.tenure in ("owner", "private_tenant", "council_tenant", "housing_association_tenant")
        judged += 1
    assert judged > 10


def test_demo_hazards_and_works_match_their_forms(store: Store) -> None:
    """The HHSRS ratings are of hazards in the scheme in force on the visit, and are what the HHSRS
    form says; the works items are the schedule of works form's rows."""
    from heart_desktop.domain import hhsrs
    from heart_desktop.domain.works import answer_rows
    from heart_desktop.store.case_facts import latest_form

    demo.generate(store, 60, seed=3, as_of=AS_OF)
    checked_hazards = checked_works = 0
    for (case_id,) in store.conn.execute("SELECT id FROM cases").fetchall():
        detail = store.cases.detail(case_id, audit=False)
        ratings = [h for h in detail["hazards"] if not h.get("deleted")]
        form = latest_form(detail["forms"], "hhsrs_assessment")
        if ratings:
            assert form is not None
            scheme = hhsrs.scheme_for(date.fromisoformat(form["answers"]["inspection_start"]))
            keys = {h.key for h in scheme.hazards}
            answered = form["answers"]["hazards"]
            for rating in ratings:
                assert rating["hazard"] in keys
                assert float(answered[rating["hazard"]]["likelihood"]) == rating["likelihood"]
                assert [float(answered[rating["hazard"]][c]) for c in ("class_i", "class_ii", "class_iii")] == \
                    list(rating["harm"])[:3]
                assert answered[rating["hazard"]]["notes"] == rating["notes"]
            checked_hazards += 1
        works = [w for w in detail["works"] if not w.get("deleted")]
        schedule = latest_form(detail["forms"], "works_schedule")
        if works:
            assert schedule is not None
            rows = schedule["answers"]["items"]
            # the form's own columns (kind, s.23(1) purpose) aside, the rows are the works items
            assert [{k: v for k, v in r.items() if k not in ("kind", "purpose")} for r in rows] == answer_rows(works)
            assert all(r["kind"] == "works" and r["purpose"] in "abcdefghijk" for r in rows)
            assert schedule["status"] == ("complete" if detail["case"].get("approval_on") else "draft")
            checked_works += 1
    assert checked_hazards > 10 and checked_works > 5
