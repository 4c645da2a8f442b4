"""How answers are stored, and the checks on each type. One place, so the engine, the renderer,
the store and the PDF agree.

Answer conventions (plain JSON, so the store and sync can keep them as they are):

========== ================================================================================
type       stored as
========== ================================================================================
text       ``str``
number     a JSON number, or a decimal string (``"2.5"``), never a bool
money      a decimal string of pounds with at most two places, ``"1250.50"`` (not a float,
           never pence: exact, readable in JSON and what ``domain.works.item_from_mapping``
           reads); :func:`money_pence` turns it into whole pence for the domain
date       ISO text ``"YYYY-MM-DD"``
choice     the choice's ``value`` (``str``)
multi      a list of choice values, each once
yes_no     ``true`` / ``false`` (``false`` is an answer, not a blank)
repeat     a list of row dicts, one key per child field
group      a dict, one key per child field (hhsrs: ``{hazard_key: {child: value}}``)
photo      a list of ``{"sha256": <64 lowercase hex>, "caption": str?}``, the attachment refs
signature  ``{"sha256": <64 hex of the stroke data>, "signed_at": ISO datetime, "name": str?}``
========== ================================================================================

``None``, ``""`` and ``[]`` are "no answer".
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from heart_desktop.domain import money
from heart_desktop.formkit.definitions import Field

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
_MONEY_RE = re.compile(r"^\d+(\.\d{1,2})?$")
EARLIEST_DATE = date(1900, 1, 1)
LATEST_YEARS_AHEAD = 5


def is_blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def money_pence(value: Any) -> int | None:
    """A stored money answer (``"1250.50"``) to whole pence, or None when it is not one."""
    if not isinstance(value, str) or not _MONEY_RE.match(value.strip()):
        return None
    return money.typed_amount(value)


def normalise_money(text: str) -> str | None:
    """'£1,250.5' -> '1250.50' (what the renderer stores); None when it is not an amount."""
    try:
        return money.answer_text(money.typed_amount(text))
    except money.MoneyError:
        return None


def to_expression_value(f: Field, value: Any) -> Any:
    """An answer as expressions see it: dates as ``date``, numbers and money as ``Decimal``."""
    if is_blank(value):
        return None
    kind = f.value_type if f.type == "calculate" else f.type
    if kind == "date" and isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    if kind in ("number", "money") and not isinstance(value, bool):
        try:
            return Decimal(str(value).strip())
        except InvalidOperation:
            return value
    return value


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal | str):
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    return None


def _limit(number: float) -> str:
    return f"{number:g}"


def check_value(f: Field, value: Any, today: date) -> str | None:
    """Is a non-blank ``value`` the right shape for ``f``? Returns the problem in plain words."""
    kind = f.type
    if kind == "text":
        return None if isinstance(value, str) else "should be text"
    if kind == "number":
        number = _number(value)
        if number is None:
            return f"'{value}' is not a number"
        if f.integer and number != number.to_integral_value():
            return f"{value} should be a whole number"
        if f.min is not None and number < Decimal(str(f.min)):
            return f"{value} is less than {_limit(f.min)}"
        if f.max is not None and number > Decimal(str(f.max)):
            return f"{value} is more than {_limit(f.max)}"
        return None
    if kind == "money":
        pence = money_pence(value)
        if pence is None:
            return f"'{value}' is not an amount of money: write pounds and pence, like 1250.50"
        if f.min is not None and pence < round(f.min * 100):
            return f"£{value} is less than £{f.min:,.2f}"
        if f.max is not None and pence > round(f.max * 100):
            return f"£{value} is more than £{f.max:,.2f}"
        return None
    if kind == "date":
        try:
            when = date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
        except ValueError:
            when = None
        if when is None:
            return f"'{value}' is not a date: write it as YYYY-MM-DD"
        if when < EARLIEST_DATE:
            return f"{when:%d/%m/%Y} is before 1900: check the year"
        if when.year > today.year + LATEST_YEARS_AHEAD:
            return f"{when:%d/%m/%Y} is more than {LATEST_YEARS_AHEAD} years ahead: check the year"
        return None
    if kind == "choice":
        allowed = [c.value for c in f.choices]
        if not isinstance(value, str) or value not in allowed:
            return f"{value!r} is not one of the choices"
        return None
    if kind == "multi_choice":
        allowed = [c.value for c in f.choices]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return "should be a list of choices"
        unknown = [v for v in value if v not in allowed]
        if unknown:
            return f"{unknown[0]!r} is not one of the choices"
        if len(set(value)) != len(value):
            return "a choice is selected twice"
        return _count_limits(f, len(value), "choices")
    if kind == "yes_no":
        return None if isinstance(value, bool) else "should be yes or no"
    if kind == "photo":
        if not isinstance(value, list):
            return "should be a list of photos"
        for photo in value:
            if not isinstance(photo, dict) or not SHA256_RE.match(str(photo.get("sha256", ""))):
                return "a photo is not a stored attachment (no SHA-256 reference)"
            if not isinstance(photo.get("caption", ""), str):
                return "a photo caption should be text"
        return _count_limits(f, len(value), "photos")
    if kind == "signature":
        if not isinstance(value, dict) or not SHA256_RE.match(str(value.get("sha256", ""))):
            return "the signature is not a stored attachment (no SHA-256 reference)"
        try:
            datetime.fromisoformat(str(value.get("signed_at", "")))
        except ValueError:
            return "the signature has no time of signing"
        return None
    if kind == "repeat":
        if not isinstance(value, list) or not all(isinstance(row, dict) for row in value):
            return "should be a list of rows"
        return _count_limits(f, len(value), "rows")
    if kind in ("group", "hhsrs_hazards"):
        return None if isinstance(value, dict) else "should be a set of answers"
    return None


def _count_limits(f: Field, count: int, noun: str) -> str | None:
    if f.min is not None and count < f.min:
        return f"at least {_limit(f.min)} {noun} needed, {count} given"
    if f.max is not None and count > f.max:
        return f"at most {_limit(f.max)} {noun} allowed, {count} given"
    return None


def display(f: Field, value: Any) -> str:
    """An answer as a person reads it (screen summaries, the PDF): choice labels, £, dd/mm/yyyy."""
    if is_blank(value):
        return ""
    kind = f.value_type if f.type == "calculate" else f.type
    if kind == "money":
        pence = money_pence(value) if isinstance(value, str) else None
        if pence is None and isinstance(value, Decimal | int):
            pence = money.pence(value)
        return money.fmt(pence) if pence is not None else str(value)
    if kind == "date":
        when = value if isinstance(value, date) else None
        if when is None:
            try:
                when = date.fromisoformat(str(value))
            except ValueError:
                return str(value)
        return f"{when:%d/%m/%Y}"
    if kind == "yes_no":
        return "Yes" if value is True else "No" if value is False else str(value)
    if kind == "choice":
        return f.choice_label(str(value)) or str(value)
    if kind == "multi_choice" and isinstance(value, list):
        return "; ".join(f.choice_label(str(v)) or str(v) for v in value)
    if kind == "photo" and isinstance(value, list):
        return f"{len(value)} photo{'s' if len(value) != 1 else ''}"
    if kind == "signature" and isinstance(value, dict):
        return f"Signed {value.get('signed_at', '')}".strip()
    if kind == "repeat" and isinstance(value, list):
        return f"{len(value)} row{'s' if len(value) != 1 else ''}"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)
