"""What a form shows that only the case can answer (the HSG allowance, the award of the works
being typed), each asked of the domain: the computations the forms' renderer registers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from heart_desktop.domain.assistance import decide, hsg_allowance_check, safety_check_cost
from heart_desktop.domain.award import award_lines
from heart_desktop.domain.case_summary import CaseSummary
from heart_desktop.domain.money import fmt
from heart_desktop.domain.works import items, schedule_totals
from heart_desktop.formkit import ComputeContext, Computed


def case_context(summary: Callable[[], CaseSummary | None]) -> dict[str, Callable[[ComputeContext], Computed]]:
    """The computations only the case can answer, all asked of the domain."""

    def hsg_left(_ctx: ComputeContext) -> Computed:
        case = summary()
        if case is None:
            return Computed(None, "Not known yet", "record the household and tenure first")
        hsg = decide(case).types["HSG"]
        return Computed(hsg.allowance_left, fmt(hsg.allowance_left or 0))

    def hsg_check(ctx: ComputeContext) -> Computed:
        case = summary()
        if case is None:
            return Computed(None, "Not known yet", "record the household and tenure first")
        check = hsg_allowance_check(case, safety_check_cost(ctx.answers))  # the domain's answer, shown as it is
        return Computed(check.left_after, check.message)

    def works_award(ctx: ComputeContext) -> Computed:
        case = summary()
        if case is None:
            return Computed(None, "Not known yet", "record the household and tenure first")
        costed = items(ctx.answers.get("items") or [])
        award = decide(replace(case, works_cost=schedule_totals(costed).gross)).award
        text = "; ".join(f"{line.label.strip()} {fmt(line.amount)}" for line in award_lines(award)
                         if line.key != "works_cost")
        return Computed(award.total_award, text)

    return {"assistance.hsg_allowance_left": hsg_left, "assistance.hsg_allowance_check": hsg_check,
            "works.award": works_award}
