"""Calendar arithmetic for statutory periods ("6 months", "10 years") without a dependency."""

from __future__ import annotations

import calendar
from datetime import date


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when that day does not exist."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def add_years(start: date, years: int) -> date:
    return add_months(start, 12 * years)


def age_on(born: date, on: date) -> int:
    """Age in whole years on a date (a 29 February birthday turns over on 1 March)."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
