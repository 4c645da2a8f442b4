"""Money as whole pence.

Every amount in the domain is an ``int`` of pence so that totals never drift; pounds appear only
at the edges (policy files, JSON, the screen), converted here and nowhere else.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

Pence = int


class MoneyError(ValueError):
    """An amount that cannot be read as money."""


def pence(pounds: int | str | Decimal | float) -> Pence:
    """Pounds (as written by a person or a file) to pence, rounding half up to the penny."""
    if isinstance(pounds, bool):
        raise MoneyError(f"{pounds!r} is not an amount of money")
    try:
        amount = Decimal(str(pounds).strip().replace(",", "").lstrip("£"))
    except (InvalidOperation, ValueError) as exc:
        raise MoneyError(f"{pounds!r} is not an amount of money; write it like 1250.00") from exc
    if not amount.is_finite():
        raise MoneyError(f"{pounds!r} is not an amount of money")
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def pounds(amount: Pence) -> Decimal:
    """Pence to a two-place Decimal of pounds, for JSON and display."""
    return (Decimal(amount) / 100).quantize(Decimal("0.01"))


def pounds_number(amount: Pence) -> int | float:
    """Pence to a JSON number: a whole number of pounds stays an int (1250), else 62.5."""
    if amount % 100 == 0:
        return amount // 100
    return float(pounds(amount))


def fmt(amount: Pence) -> str:
    """'£1,250.00' (and '-£5.00' for a negative amount)."""
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(pounds(amount)):,.2f}"


def apply_rate(amount: Pence, rate: Fraction) -> Pence:
    """``amount * rate`` rounded half up to the penny, computed exactly."""
    exact = Fraction(amount) * rate
    whole, rest = divmod(exact.numerator, exact.denominator)
    return whole + (1 if 2 * rest >= exact.denominator else 0)
