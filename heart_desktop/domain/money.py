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


def typed_amount(text: str) -> Pence:
    """An amount a person typed into a form ('£1,250.5', '1250.50'): exact pence, never negative,
    never a fraction of a penny (a typing slip, not a figure to round)."""
    cleaned = str(text).strip().replace(",", "").lstrip("£").strip()
    try:
        amount = Decimal(cleaned)
    except InvalidOperation as exc:
        raise MoneyError(f"{text!r} is not an amount of money; write pounds and pence, like 1250.50") from exc
    if not amount.is_finite() or amount < 0 or amount.adjusted() > 12:  # over a trillion pounds: a slip
        raise MoneyError(f"{text!r} is not an amount of money; write pounds and pence, like 1250.50")
    if amount != amount.quantize(Decimal("0.01")):
        raise MoneyError(f"{text!r} has a fraction of a penny; write pounds and pence, like 1250.50")
    return int(amount * 100)


def answer_text(amount: Pence) -> str:
    """Pence as a form stores a money answer: '1250.50' (exact, readable in JSON)."""
    return f"{pounds(amount):f}"


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
