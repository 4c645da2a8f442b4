"""An enquiry as the duty desk takes it (policy 5.1), checked field by field.

One reading for every way an enquiry comes in: the New enquiry dialog, ``heart-desktop case new
FILE.json`` and each row of ``heart-desktop case import FILE.csv`` build the same mapping and
call :func:`read_enquiry`, which returns a checked :class:`Enquiry` or raises
:class:`IntakeError` naming the field (``customer.date_of_birth``, ``address.postcode``,
``household[1].name``) and saying what a right answer looks like.

The council is worked out from the postcode district (``resources/policy/postcodes.toml``): a
district in one council gives it; one that lies in two needs the officer to say which
(``council``); a postcode outside Warwickshire is refused, because grants are for works to
Warwickshire properties only (5.11).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from heart_desktop.domain.priority import GROUNDS
from heart_desktop.domain.process import process
from heart_desktop.domain.validate import (
    check_date_of_birth,
    check_email,
    check_ni_number,
    check_phone,
    check_warwickshire_postcode,
    format_ni_number,
    normalise_postcode,
    parse_date,
    postcode_district,
)

MAX_TEXT = 2000
URGENCY_GROUNDS: dict[str, str] = {key: ground.reason for key, ground in GROUNDS}
VULNERABLE_FLAG = "vulnerable"  # 9.2: a vulnerable group or individual, first where resources are limited
REFERRED_CHANNELS = frozenset({"social_care", "health", "other_agency"})
# the top-level keys an enquiry may carry (anything else is a typing mistake worth naming)
KNOWN = frozenset({"received", "channel", "referrer", "referrer_contact", "customer", "household", "address",
                   "council", "contact_preference", "advocate", "reason", "urgency", "vulnerable", "assistance"})
PERSON_KNOWN = frozenset({"name", "given_name", "family_name", "date_of_birth", "phone", "email", "ni_number",
                          "disabled", "relationship"})
ADDRESS_KNOWN = frozenset({"line1", "line2", "town", "postcode"})
ASSISTANCE = ("DFG", "DDFA", "HDG", "Home Safety", "WaSH")


class IntakeError(ValueError):
    """A field of an enquiry that is missing or wrong; ``field`` is its dotted name."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"field {field}: {message}")
        self.field, self.message = field, message


@dataclass(frozen=True)
class Person:
    given_name: str
    family_name: str
    date_of_birth: date | None
    disabled: bool = False
    relationship: str | None = None
    phone: str | None = None
    email: str | None = None
    ni_number: str | None = None

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"


@dataclass(frozen=True)
class Enquiry:
    received: date
    channel: str
    customer: Person
    address_line1: str
    town: str | None
    postcode: str
    council: str
    reason: str
    contact_preference: str
    address_line2: str | None = None
    referrer: str | None = None
    referrer_contact: str | None = None
    advocate: str | None = None
    household: tuple[Person, ...] = ()
    urgency: tuple[str, ...] = ()
    vulnerable: bool = False
    assistance: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())  # things to confirm (a district partly outside the county)

    @property
    def priority_flags(self) -> list[str]:
        return sorted({*self.urgency, *([VULNERABLE_FLAG] if self.vulnerable else [])})


def _text(data: Mapping[str, Any], key: str, where: str, required: bool = False, limit: int = MAX_TEXT,
          what: str = "") -> str | None:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise IntakeError(where, f"is required: {what or 'enter it'}")
        return None
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise IntakeError(where, "must be text")
    text = str(value).strip()
    if len(text) > limit:
        raise IntakeError(where, f"is {len(text)} characters long; at most {limit}")
    if "\x00" in text:
        raise IntakeError(where, "contains a character that is not text")
    return text


def _date(data: Mapping[str, Any], key: str, where: str, required: bool) -> date | None:
    value = data.get(key)
    if value in (None, ""):
        if required:
            raise IntakeError(where, "is required: a date like 2026-11-30 or 30/11/2026")
        return None
    if not isinstance(value, str | date):
        raise IntakeError(where, "must be a date like 2026-11-30 or 30/11/2026")
    try:
        return parse_date(value)
    except ValueError as exc:
        raise IntakeError(where, str(exc)) from None


def _flag(data: Mapping[str, Any], key: str, where: str) -> bool:
    value = data.get(key, False)
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("", "no", "false", "n", "0"):
        return False
    if isinstance(value, str) and value.strip().lower() in ("yes", "true", "y", "1"):
        return True
    if value is None:
        return False
    raise IntakeError(where, f"{value!r} is not yes or no")


def _unknown(data: Mapping[str, Any], known: frozenset[str], prefix: str) -> None:
    extra = sorted(str(k) for k in data if k not in known)
    if extra:
        raise IntakeError(f"{prefix}{extra[0]}", f"is not a field of an enquiry (known: {', '.join(sorted(known))})")


def _names(data: Mapping[str, Any], where: str) -> tuple[str, str]:
    given = _text(data, "given_name", f"{where}.given_name", limit=200)
    family = _text(data, "family_name", f"{where}.family_name", limit=200)
    if given and family:
        return given, family
    full = _text(data, "name", f"{where}.name", required=not (given or family), limit=400,
                 what="the full name, like Edna Fairweather")
    if full:
        parts = full.split()
        if len(parts) < 2:
            raise IntakeError(f"{where}.name", f"'{full}' is one word: give the given and family name, "
                                               "like Edna Fairweather")
        return " ".join(parts[:-1]), parts[-1]
    raise IntakeError(f"{where}.{'family_name' if given else 'given_name'}", "is required with the other name")


def read_person(data: Any, where: str, today: date, *, customer: bool) -> Person:
    if not isinstance(data, Mapping):
        raise IntakeError(where, "must be an object with the person's name and date of birth")
    _unknown(data, PERSON_KNOWN, f"{where}.")
    given, family = _names(data, where)
    born = _date(data, "date_of_birth", f"{where}.date_of_birth", required=customer)
    if born is not None:
        problem = check_date_of_birth(born, today)
        if problem:
            raise IntakeError(f"{where}.date_of_birth", problem)
    phone = _text(data, "phone", f"{where}.phone", limit=40)
    if phone and (problem := check_phone(phone)):
        raise IntakeError(f"{where}.phone", problem)
    email = _text(data, "email", f"{where}.email", limit=200)
    if email and (problem := check_email(email)):
        raise IntakeError(f"{where}.email", problem)
    ni = _text(data, "ni_number", f"{where}.ni_number", limit=20)
    if ni and (problem := check_ni_number(ni)):
        raise IntakeError(f"{where}.ni_number", problem)
    relationship = None if customer else _text(data, "relationship", f"{where}.relationship", limit=80)
    return Person(given, family, born, _flag(data, "disabled", f"{where}.disabled"), relationship, phone, email,
                  format_ni_number(ni) if ni else None)


def council_for(postcode: str, chosen: str | None, where: str = "address.postcode") -> tuple[str, tuple[str, ...]]:
    """The council a Warwickshire postcode is in, and anything to confirm; refuses one outside the
    county (5.11) and asks (``council``) where the district lies in two councils."""
    check = check_warwickshire_postcode(postcode)
    if not check.in_warwickshire:
        raise IntakeError(where, str(check.message))
    councils = check.councils
    notes = (check.message,) if check.partial and check.message else ()
    if chosen:
        if chosen not in councils:
            raise IntakeError("council", f"{chosen} does not cover {postcode_district(postcode)}: "
                                         f"{' or '.join(councils)} does")
        return chosen, notes
    if len(councils) > 1:
        raise IntakeError("council", f"{postcode_district(postcode)} lies in {' and '.join(councils)}: say which "
                                     "council the property is in")
    return councils[0], notes


def read_enquiry(data: Any, today: date) -> Enquiry:
    """The enquiry in ``data`` (the JSON of ``heart-desktop case new``), checked; ``today`` is the
    day it is recorded (no date may be after it)."""
    if not isinstance(data, Mapping):
        raise IntakeError("(enquiry)", "must be a JSON object")
    _unknown(data, KNOWN, "")
    lists = process(today)
    received = _date(data, "received", "received", required=True)
    assert received is not None
    if received > today:
        raise IntakeError("received", f"{received:%d/%m/%Y} is in the future")
    channel = _text(data, "channel", "channel", required=True, what=", ".join(lists.keys("channels")))
    if channel not in lists.labels("channels"):
        raise IntakeError("channel", f"{channel!r} is not a channel ({', '.join(lists.keys('channels'))})")
    referrer = _text(data, "referrer", "referrer", limit=200)
    if channel in REFERRED_CHANNELS and not referrer:
        raise IntakeError("referrer", f"is required for a {lists.label('channels', channel).lower()}: "
                                      "who referred the customer")
    referrer_contact = _text(data, "referrer_contact", "referrer_contact", limit=200)
    customer = read_person(data.get("customer"), "customer", today, customer=True)
    raw_household = data.get("household") or []
    if not isinstance(raw_household, Sequence) or isinstance(raw_household, str):
        raise IntakeError("household", "must be a list of people")
    household = tuple(read_person(p, f"household[{i}]", today, customer=False) for i, p in enumerate(raw_household))
    address = data.get("address")
    if not isinstance(address, Mapping):
        raise IntakeError("address", "is required: an object with line1, town and postcode")
    _unknown(address, ADDRESS_KNOWN, "address.")
    line1 = _text(address, "line1", "address.line1", required=True, limit=200, what="the first line of the address")
    assert line1 is not None
    postcode_text = _text(address, "postcode", "address.postcode", required=True, limit=12,
                          what="the postcode, like CV34 4RL")
    assert postcode_text is not None
    chosen = _text(data, "council", "council", limit=10)
    council, notes = council_for(postcode_text, chosen.upper() if chosen else None)
    reason = _text(data, "reason", "reason", required=True, what="the reason for the enquiry, in the customer's words")
    assert reason is not None
    preference = _text(data, "contact_preference", "contact_preference", limit=40)
    preference = preference or ("phone" if customer.phone else "email" if customer.email else "post")
    if preference not in lists.labels("contact_preferences"):
        raise IntakeError("contact_preference", f"{preference!r} is not one of "
                                                f"{', '.join(lists.keys('contact_preferences'))}")
    advocate = _text(data, "advocate", "advocate", limit=400)
    if preference == "phone" and not customer.phone:
        raise IntakeError("customer.phone", "is required: the customer prefers a telephone call")
    if preference == "text" and not customer.phone:
        raise IntakeError("customer.phone", "is required: the customer prefers a text message")
    if preference == "email" and not customer.email:
        raise IntakeError("customer.email", "is required: the customer prefers email")
    if preference == "advocate" and not advocate:
        raise IntakeError("advocate", "is required: the customer prefers contact through an advocate or carer "
                                      "(their name and how to reach them)")
    urgency = data.get("urgency") or []
    if isinstance(urgency, str):
        urgency = [u.strip() for u in urgency.replace(";", ",").split(",") if u.strip()]
    if not isinstance(urgency, Sequence):
        raise IntakeError("urgency", f"must be a list of the grounds of policy 9.1 ({', '.join(URGENCY_GROUNDS)})")
    for ground in urgency:
        if ground not in URGENCY_GROUNDS:
            raise IntakeError("urgency", f"{ground!r} is not a ground of policy 9.1 ({', '.join(URGENCY_GROUNDS)})")
    assistance = data.get("assistance") or []
    if isinstance(assistance, str):
        assistance = [a.strip() for a in assistance.replace(";", ",").split(",") if a.strip()]
    if not isinstance(assistance, Sequence) or any(a not in ASSISTANCE for a in assistance):
        raise IntakeError("assistance", f"must be a list of {', '.join(ASSISTANCE)}")
    return Enquiry(
        received=received, channel=channel, customer=customer, address_line1=line1,
        address_line2=_text(address, "line2", "address.line2", limit=200),
        town=_text(address, "town", "address.town", limit=200), postcode=normalise_postcode(postcode_text),
        council=council, reason=reason, contact_preference=preference, referrer=referrer,
        referrer_contact=referrer_contact, advocate=advocate, household=household, urgency=tuple(sorted(set(urgency))),
        vulnerable=_flag(data, "vulnerable", "vulnerable"), assistance=tuple(dict.fromkeys(assistance)), notes=notes)


# --- a batch of referrals as CSV -------------------------------------------------------------------

# the CSV's columns are the enquiry's dotted field names, so an error names the column
CSV_COLUMNS: tuple[str, ...] = (
    "received", "channel", "referrer", "referrer_contact", "customer.name", "customer.date_of_birth",
    "customer.phone", "customer.email", "customer.ni_number", "customer.disabled", "address.line1", "address.line2",
    "address.town", "address.postcode", "council", "contact_preference", "advocate", "reason", "urgency",
    "vulnerable", "assistance",
)
CSV_REQUIRED = ("received", "channel", "customer.name", "customer.date_of_birth", "address.line1",
                "address.postcode", "reason")


def enquiry_from_csv_row(row: Mapping[str, str | None]) -> dict[str, Any]:
    """One CSV row (header names as in ``CSV_COLUMNS``) as the mapping :func:`read_enquiry` reads."""
    data: dict[str, Any] = {}
    for column, value in row.items():
        if column is None:
            raise IntakeError("(row)", "has more values than the header has columns")
        if value is None or value.strip() == "":
            continue
        if column not in CSV_COLUMNS:
            raise IntakeError(column, f"is not a column of a referral (known: {', '.join(CSV_COLUMNS)})")
        head, _, tail = column.partition(".")
        if tail:
            data.setdefault(head, {})[tail] = value
        else:
            data[column] = value
    return data


PROPERTY_KNOWN = frozenset({"tenure", "property_type", "bedrooms", "years_owned", "landlord"})


def read_property(data: Any, tenures: Sequence[str]) -> dict[str, Any]:
    """The property's tenure and facts as the details form gives them (``property.*`` fields)."""
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise IntakeError("property", "must be an object")
    _unknown(data, PROPERTY_KNOWN, "property.")
    out: dict[str, Any] = {}
    tenure = _text(data, "tenure", "property.tenure", limit=40)
    if tenure and tenure not in tenures:
        raise IntakeError("property.tenure", f"{tenure!r} is not a tenure ({', '.join(tenures)})")
    out["tenure"] = tenure
    out["property_type"] = _text(data, "property_type", "property.property_type", limit=80)
    for key, low, high, whole in (("bedrooms", 0, 50, True), ("years_owned", 0, 120, False)):
        raw = data.get(key)
        if raw in (None, ""):
            out[key] = None
            continue
        try:
            number = float(str(raw).strip())
        except ValueError:
            raise IntakeError(f"property.{key}", f"{raw!r} is not a number") from None
        if whole and not number.is_integer():
            raise IntakeError(f"property.{key}", f"{raw!r} is not a whole number")
        if not low <= number <= high:
            raise IntakeError(f"property.{key}", f"{raw!r} is not between {low} and {high}")
        out[key] = int(number) if whole else number
    out["landlord"] = _text(data, "landlord", "property.landlord", limit=400)
    if tenure == "owner" and out["landlord"]:
        raise IntakeError("property.landlord", "an owner-occupier has no landlord: clear it or change the tenure")
    return out
