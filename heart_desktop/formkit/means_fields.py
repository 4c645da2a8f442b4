"""The financial assessment's own computation: an amount as paid, shown as a weekly figure.

The conversion is the domain's (``domain.periods``); this only reads a group's ``amount`` and
``period`` answers. The stages of the test need the case (ages, tenure) and are supplied by the
case workspace in the computation context (``means_test.*``), as the award split is.
"""

from __future__ import annotations

from heart_desktop.formkit.computations import ComputeContext, Computed, register
from heart_desktop.formkit.values import is_blank, money_pence


@register("means_test.weekly")
def _weekly(ctx: ComputeContext) -> Computed:
    from heart_desktop.domain.periods import PeriodError, to_weekly

    amount = money_pence(ctx.row.get("amount"))
    if amount is None or amount == 0:
        return Computed(0 if amount == 0 else None, "")
    period = ctx.row.get("period")
    if is_blank(period):
        return Computed(None, "Say how often it is paid")
    try:
        weekly = to_weekly(amount, str(period))
    except PeriodError as exc:
        return Computed(None, "", str(exc))
    return Computed(weekly.weekly, weekly.explanation)
