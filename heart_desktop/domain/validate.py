"""Checks on what an officer types: each returns ``None`` when fine, else a message to show.

Messages say what is wrong and what a right answer looks like, in the officer's words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from heart_desktop.domain.money import MoneyError, Pence, pence

# HMRC's NIM39110: the first letter is never D, F, I, Q, U or V; the second never D, F, I, O, Q,
# U or V; some pairs are never issued; the suffix is A to D.
_NI_RE = re.compile(r"^([A-CEGHJ-PR-TW-Z])([A-CEGHJ-NPR-TW-Z])(\d{6})([A-D])$")
_NI_NEVER_ISSUED = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})
_NI_EXAMPLE = "AB 12 34 56 C"

# Royal Mail's shapes: outward code (area, district, optional sub-district), then inward code.
# Q, V and X never start a postcode; I, J and Z are never its second letter.
_POSTCODE_RE = re.compile(r"^([A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?)\s*(\d[ABD-HJLNP-UW-Z]{2})$")
_OLDEST_PLAUSIBLE_AGE = 125
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


def normalise_ni_number(text: str) -> str:
    return re.sub(r"\s+", "", text or "").upper()


def check_ni_number(text: str) -> str | None:
    value = normalise_ni_number(text)
    if not value:
        return f"Enter the National Insurance number, like {_NI_EXAMPLE}."
    match = _NI_RE.match(value)
    if not match:
        return (f"'{text.strip()}' is not a National Insurance number: it should be two letters, "
                f"six digits and a letter A to D, like {_NI_EXAMPLE}.")
    if match.group(1) + match.group(2) in _NI_NEVER_ISSUED:
        return (f"'{text.strip()}' starts with {match.group(1)}{match.group(2)}, which HMRC never "
                "issues (temporary numbers are not accepted): check the customer's letter or card.")
    return None


def format_ni_number(text: str) -> str:
    value = normalise_ni_number(text)
    return " ".join([value[:2], value[2:4], value[4:6], value[6:8], value[8:]]).strip()


def normalise_nhs_number(text: str) -> str:
    return re.sub(r"[\s-]+", "", text or "")


def check_nhs_number(text: str) -> str | None:
    """Ten digits whose last is the modulus 11 check digit of the first nine (NHS Data Dictionary):
    the DFG delivery guidance (2022) asks for it with every enquiry."""
    digits = normalise_nhs_number(text)
    if not re.fullmatch(r"\d{10}", digits):
        return "an NHS number is 10 digits, e.g. 943 476 5919"
    check = 11 - sum(int(d) * (10 - i) for i, d in enumerate(digits[:9])) % 11
    check = 0 if check == 11 else check
    if check == 10 or check != int(digits[9]):
        return f"{text} is not a valid NHS number (its check digit is wrong): check it against the NHS letter or card"
    return None


def normalise_postcode(text: str) -> str:
    """'cv344rl' -> 'CV34 4RL' (unchanged apart from case and spaces when it is not a postcode)."""
    compact = re.sub(r"\s+", "", text or "").upper()
    match = _POSTCODE_RE.match(compact)
    return f"{match.group(1)} {match.group(2)}" if match else compact


def postcode_district(text: str) -> str | None:
    match = _POSTCODE_RE.match(re.sub(r"\s+", "", text or "").upper())
    return match.group(1) if match else None


def check_postcode(text: str) -> str | None:
    if not (text or "").strip():
        return "Enter the postcode, like CV34 4RL."
    if postcode_district(text) is None:
        return f"'{text.strip()}' is not a UK postcode: it should look like CV34 4RL or B49 5AB."
    return None


@dataclass(frozen=True)
class CountyCheck:
    in_warwickshire: bool
    councils: tuple[str, ...]
    partial: bool
    message: str | None


def check_warwickshire_postcode(text: str) -> CountyCheck:
    """Is the property in a Warwickshire postcode district, and which councils could it be in?"""
    from heart_desktop.domain.policy import policy_set

    problem = check_postcode(text)
    if problem:
        return CountyCheck(False, (), False, problem)
    district = postcode_district(text)
    found = policy_set().districts.get(district or "")
    if found is None:
        return CountyCheck(
            False, (), False,
            f"{normalise_postcode(text)} is outside Warwickshire: HEART grants are for works to "
            "Warwickshire properties only (policy 5.11). Check the postcode, or refer the customer "
            "to their own council.",
        )
    note = None
    if found.partial:
        note = (f"{district} is partly outside Warwickshire ({found.note}): confirm from the "
                "address that the property is in the county.")
    return CountyCheck(True, found.councils, found.partial, note)


_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE_RE = re.compile(r"^(?:\+44|0)\d{9,10}$")


def check_email(text: str) -> str | None:
    if not _EMAIL_RE.match((text or "").strip()):
        return f"'{(text or '').strip()}' is not an email address: it should look like name@example.org."
    return None


def check_phone(text: str) -> str | None:
    """A UK phone number (a landline or a mobile, spaces and brackets allowed)."""
    compact = re.sub(r"[\s()-]", "", text or "")
    if not _PHONE_RE.match(compact):
        return (f"'{(text or '').strip()}' is not a UK phone number: it should look like 01926 410410 or "
                "07700 900123.")
    return None


def parse_date(text: str | date) -> date:
    """A date typed as 25/12/2026 or 2026-12-25 (raises ValueError with a plain message)."""
    if isinstance(text, datetime):
        return text.date()
    if isinstance(text, date):
        return text
    cleaned = (text or "").strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"'{cleaned}' is not a date: write it as DD/MM/YYYY, like 25/12/2026.")


def check_date_of_birth(born: date, today: date) -> str | None:
    if born > today:
        return f"The date of birth {born:%d/%m/%Y} is in the future."
    if today.year - born.year > _OLDEST_PLAUSIBLE_AGE:
        return f"The date of birth {born:%d/%m/%Y} would make the person over {_OLDEST_PLAUSIBLE_AGE}: check the year."
    return None


def check_not_before(later: date, earlier: date, later_name: str, earlier_name: str) -> str | None:
    """For pairs like approval and application: ``later`` may not precede ``earlier``."""
    if later < earlier:
        return (f"The {later_name} date ({later:%d/%m/%Y}) cannot be before the "
                f"{earlier_name} date ({earlier:%d/%m/%Y}).")
    return None


def check_approval_date(approval: date, application: date) -> str | None:
    return check_not_before(approval, application, "approval", "application")


def parse_money(text: str | int | float) -> Pence:
    """Pounds as typed ('£1,250.50') to pence; negative amounts are refused."""
    try:
        amount = pence(text)
    except MoneyError:
        raise ValueError(f"'{text}' is not an amount of money: write it like 1250.00.") from None
    if amount < 0:
        raise ValueError(f"'{text}' is negative: amounts of money cannot be less than £0.00.")
    return amount


def check_money(text: str | int | float) -> str | None:
    try:
        parse_money(text)
    except ValueError as exc:
        return str(exc)
    return None
