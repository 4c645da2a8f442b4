"""Time the test of resources recomputed on a keystroke in the financial assessment.

    .venv/bin/python bench/means_test_bench.py [--keystrokes 2000]

Types an amount into the form one character at a time, over a case with a couple, two children,
earnings, pensions and savings, and times, per keystroke: the test alone from the case and the
answers on screen (``store.means_facts.means_result``, what the Means test tab and the form's
lines ask), and the whole of what the app redoes (the form engine with its computed lines, the test,
and the assistance decision the Eligibility tab shows). Budget (DESIGN.md): the means test
recomputed on a keystroke under 5 ms on a 2-core laptop-class machine.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date
from typing import Any

from heart_desktop.domain.assistance import decide
from heart_desktop.domain.policy import policy_set
from heart_desktop.formkit import Computed, FormEngine, check_all_forms
from heart_desktop.paths import forms_dir
from heart_desktop.store.case_facts import case_summary
from heart_desktop.store.means_facts import means_result, with_answers

TODAY = date(2026, 11, 20)
DETAIL: dict[str, Any] = {
    "case": {"id": "bench", "council": "WDC", "reference": "WDC/26/99999"},
    "stage_dates": {"application": date(2026, 10, 5)},
    "people": [{"given_name": "Bench", "family_name": "Customer", "is_applicant": True, "is_disabled_person": True,
                "date_of_birth": date(1975, 6, 1)}],
    "property": {"tenure": "owner", "years_owned": 12},
    "forms": [], "works": [{"location": "Bathroom", "description": "Level access shower", "quantity": 1,
                            "unit": "item", "rate_pence": 1_450_000, "vat_percent": 0}],
}
ANSWERS: dict[str, Any] = {
    "has_partner": True, "partner_date_of_birth": "1977-02-03", "other_adults": False, "paid_carer": False,
    "dependants": [{"date_of_birth": "2015-04-01"}, {"date_of_birth": "2021-09-09", "benefits": ["dla_care_middle"]}],
    "disabled_benefits": ["pip_daily_living_standard"], "partner_benefits": [],
    "partner_earnings": {"amount": "1450.00", "period": "month"},
    "disabled_pensions": {"amount": "96.00", "period": "four_weeks"},
    "childcare": {"amount": "120.00", "period": "week"}, "savings": "8350.00",
}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keystrokes", type=int, default=2000)
    args = parser.parse_args()
    form = next(f for f in check_all_forms(forms_dir()) if f.id == "financial_assessment")
    councils = tuple(policy_set().councils)
    typed = "1234.56"
    alone: list[float] = []
    whole: list[float] = []
    for n in range(args.keystrokes):
        answers = {**ANSWERS, "disabled_earnings": {"amount": typed[: n % len(typed) + 1], "period": "month"}}
        start = time.perf_counter()
        result = means_result(DETAIL, TODAY, answers=answers)
        alone.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        once = means_result(DETAIL, TODAY, answers=answers)  # the tab's test; the form's lines share it

        def shared(_ctx: Any, found: Any = once) -> Computed:
            return Computed(found.contribution, found.headline())

        context = {name: shared for name in ("means_test.relevant_persons", "means_test.passport",
                                             "means_test.capital", "means_test.summary")}
        FormEngine(form, today=TODAY, context=context).evaluate(answers)
        decide(case_summary(with_answers(DETAIL, answers), councils, TODAY))
        whole.append((time.perf_counter() - start) * 1000)
    assert result is not None and result.contribution >= 0
    print(f"means test alone: p50 {statistics.median(alone):.2f} ms, p95 {percentile(alone, 0.95):.2f} ms, "
          f"max {max(alone):.2f} ms over {len(alone)} keystrokes (budget: under 5 ms)")
    print(f"whole keystroke (form engine + test + assistance decision): p50 {statistics.median(whole):.2f} ms, "
          f"p95 {percentile(whole, 0.95):.2f} ms, max {max(whole):.2f} ms")
    print(f"last result: contribution £{result.contribution / 100:,.2f}; provisional: {result.provisional}")


if __name__ == "__main__":
    main()
