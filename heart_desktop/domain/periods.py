"""Money received per week, fortnight, four weeks, month or year, as the weekly figure the test of
resources works in.

People are paid monthly, four-weekly or yearly, and the means test counts weekly income: the
conversion is done here, once, and always shown with its arithmetic, so the customer at the kitchen
table can see how their £1,300 a month became £300 a week.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from heart_desktop.domain.money import Pence, apply_rate, fmt

# period -> (weeks in the period as a fraction, words for the arithmetic); a year is 52 weeks and a
# month is a twelfth of a year, the housing benefit convention the grant regulations follow
PERIODS: dict[str, tuple[Fraction, str, str]] = {
    "week": (Fraction(1), "a week", ""),
    "fortnight": (Fraction(2), "a fortnight", "÷ 2"),
    "four_weeks": (Fraction(4), "every four weeks", "÷ 4"),
    "month": (Fraction(52, 12), "a month", "× 12 ÷ 52"),
    "year": (Fraction(52), "a year", "÷ 52"),
}
PERIOD_LABELS: dict[str, str] = {"week": "a week", "fortnight": "a fortnight", "four_weeks": "every 4 weeks",
                                 "month": "a month", "year": "a year"}


class PeriodError(ValueError):
    """A period the conversion does not know."""


@dataclass(frozen=True)
class Weekly:
    """An amount as given, and the same amount a week, with the sum that links them."""

    amount: Pence
    period: str
    weekly: Pence

    @property
    def explanation(self) -> str:
        _weeks, words, sum_words = PERIODS[self.period]
        if self.period == "week":
            return f"{fmt(self.weekly)} a week"
        return f"{fmt(self.amount)} {words} = {fmt(self.weekly)} a week ({sum_words})"


def to_weekly(amount: Pence, period: str = "week") -> Weekly:
    """``amount`` received every ``period`` as a weekly amount, rounded half up to the penny."""
    try:
        weeks = PERIODS[period][0]
    except KeyError:
        raise PeriodError(f"{period!r} is not a period; use one of {', '.join(PERIODS)}") from None
    return Weekly(amount, period, apply_rate(amount, 1 / weeks))
