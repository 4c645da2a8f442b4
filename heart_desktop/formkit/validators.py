"""Named checks a field can ask for with ``validate: <name>``.

The rules themselves live once, in :mod:`heart_desktop.domain.validate`; this registry only maps a
definition's word to the function, importing the domain lazily so that formkit loads (and its
definitions can be checked) even on a tree where that module is being rewritten.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

Validator = Callable[[Any, date], "str | None"]

_REGISTRY: dict[str, Validator] = {}


def register(name: str) -> Callable[[Validator], Validator]:
    """Decorator: make a check available to definitions as ``validate: name``."""

    def wrap(function: Validator) -> Validator:
        _REGISTRY[name] = function
        return function

    return wrap


def names() -> tuple[str, ...]:
    return tuple(sorted(_REGISTRY))


def get(name: str) -> Validator | None:
    return _REGISTRY.get(name)


def run(name: str, value: Any, today: date) -> str | None:
    """The problem with ``value`` by the named check, or None when it is fine (or blank)."""
    if value in (None, ""):
        return None
    check = _REGISTRY.get(name)
    if check is None:
        raise KeyError(f"no validator named {name!r} (known: {', '.join(names())})")
    return check(value, today)


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


@register("ni_number")
def _ni_number(value: Any, today: date) -> str | None:
    from heart_desktop.domain.validate import check_ni_number

    return check_ni_number(str(value))


@register("postcode")
def _postcode(value: Any, today: date) -> str | None:
    from heart_desktop.domain.validate import check_postcode

    return check_postcode(str(value))


@register("warwickshire_postcode")
def _warwickshire_postcode(value: Any, today: date) -> str | None:
    """Outside the county is a problem (policy 5.11); a partial district only a note, not an error."""
    from heart_desktop.domain.validate import check_warwickshire_postcode

    result = check_warwickshire_postcode(str(value))
    if isinstance(result, str) or result is None:
        return result
    return None if result.in_warwickshire else result.message


@register("date_of_birth")
def _date_of_birth(value: Any, today: date) -> str | None:
    from heart_desktop.domain.validate import check_date_of_birth

    born = _as_date(value)
    if born is None:
        return f"'{value}' is not a date: write it as YYYY-MM-DD."
    return check_date_of_birth(born, today)


@register("not_in_future")
def _not_in_future(value: Any, today: date) -> str | None:
    when = _as_date(value)
    if when is not None and when > today:
        return f"The date {when:%d/%m/%Y} is in the future."
    return None


@register("email")
def _email(value: Any, today: date) -> str | None:
    from heart_desktop.domain.validate import check_email

    return check_email(str(value))


@register("uk_phone")
def _uk_phone(value: Any, today: date) -> str | None:
    from heart_desktop.domain.validate import check_phone

    return check_phone(str(value))
