"""Removing every means of identifying the applicant from free text (policy 12.20).

An appeal report goes to a panel, and 12.20 lets none be published unless "all methods of
identifying the applicant including their address have been removed". The redactor is built
from what the case knows about the household (:class:`Household`): each person's names and
their parts, the address lines and their parts (house number or name, street, locality, town),
the postcode, phone numbers, emails, NI and NHS numbers, dates of birth, the advocate's,
referrer's and landlord's names. It masks each occurrence with a visible token: a person's name
becomes their role (``[the applicant]``, ``[household member 2]``), a date of birth the age on
the report's date, a postcode its district (outward code) at most, and the rest ``[address]``,
``[phone]``, ``[email]``, ``[NI number]``.

Matching is on a folded copy of the text (lower case, accents dropped, curly apostrophes and
dashes made plain, one character for one so spans map back): case, accents, spacing in
postcodes and phone numbers, "Smith's", "the Smiths", "Mc Donald" and NI numbers with or
without spaces all match. Besides the household's own values, anything shaped like a UK
postcode, phone number, email address or NI number is masked whoever's it is: a false
negative (a name left in) costs more than a false positive. Words that every address has
("Road", "Close", "Flat") are never masked on their own.

Pure: no Qt, no SQL; the documents layer gives the household and the free text.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from heart_desktop.domain.dates import age_on

NAME, ADDRESS, POSTCODE, PHONE, EMAIL, NI_NUMBER, NHS_NUMBER, DATE_OF_BIRTH, OTHER = (
    "name", "address", "postcode", "phone", "email", "ni_number", "nhs_number", "date_of_birth", "other")
KINDS = (NAME, ADDRESS, POSTCODE, PHONE, EMAIL, NI_NUMBER, NHS_NUMBER, DATE_OF_BIRTH, OTHER)

# Words an address shares with every other address: never masked alone (the whole line and its
# distinctive words are). Street types with their abbreviations are matched interchangeably.
STREET_TYPES: dict[str, tuple[str, ...]] = {
    "road": ("rd",), "street": ("st",), "avenue": ("ave", "av"), "close": ("cl",), "drive": ("dr",),
    "lane": ("ln",), "crescent": ("cres", "cresc"), "court": ("ct",), "place": ("pl",), "gardens": ("gdns",),
    "terrace": ("terr", "tce"), "square": ("sq",), "grove": ("gr",), "way": (), "walk": (), "row": (),
    "mews": (), "hill": (), "park": ("pk",), "view": (), "green": (), "rise": (), "parade": ("pde",),
    "croft": (), "meadow": (), "meadows": (), "fields": (), "end": (), "gate": (), "yard": (), "wharf": (),
}
GENERIC_WORDS = frozenset({
    *STREET_TYPES, *(a for abbreviations in STREET_TYPES.values() for a in abbreviations),
    "flat", "apartment", "apt", "house", "cottage", "cottages", "farm", "lodge", "bungalow", "the", "of", "on",
    "upon", "in", "and", "upper", "lower", "north", "south", "east", "west", "new", "old", "great", "little",
    "high", "main", "church", "station", "mill", "school", "manor", "hall", "estate", "block", "floor", "unit",
    "room", "no", "number", "spa", "royal", "town", "village", "road's", "ground", "first", "second", "top",
    "mr", "mrs", "ms", "miss", "dr", "mx", "sir", "dame", "rev", "ltd", "limited", "plc", "llp", "co", "uk",
})
# Words of an organisation's name ("Warwick Hospital OT team"): the whole name is masked, these alone are not
ORGANISATION_WORDS = frozenset({"team", "hospital", "ot", "gp", "surgery", "service", "services", "council", "social",
                                "care", "nhs", "trust", "practice", "centre", "center", "clinic", "ward", "health",
                                "medical", "group", "association", "housing", "the", "of", "and", "for", "ltd",
                                "limited", "lettings", "homes", "agency", "office", "department", "unit", "officer",
                                # the small words of an organisation's name ("Landlord on file", "Homes in
                                # Warwickshire"): masked alone they would blank every "on" of the text
                                "a", "an", "at", "by", "in", "on", "to", "with", "from", "upon", "&", "landlord",
                                "file"})
TITLES = ("mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev", "sir", "dame", "lady", "lord")


def without_title(name: str) -> str:
    """A name taken from free text without the title in front ("Dr Kwame Asante" -> "Kwame Asante"),
    so the title itself is not masked everywhere as the person's name."""
    words = name.split()
    while len(words) > 1 and fold(words[0]).rstrip(".") in TITLES:
        words = words[1:]
    return " ".join(words)

_W = r"(?<![^\W_])"  # not inside a word (an underscore parts words: "edna_fairweather")
_E = r"(?![^\W_])"
_SEP = r"[\s,.-]*"  # between parts of an address line ("Mary-Jane Street", "3, Elm Gr.")
_APOS = "'"
_MARK = "\u0300"  # every combining mark, folded; a name's pattern lets any follow each letter
_PRIVATE = 0xE000  # placeholders while redacting (private-use characters: never part of a word)

_POSTCODE = re.compile(r"(?<![a-z0-9])([a-z]{1,2}\d[a-z\d]?)[\s-]*(\d[a-z]{2})(?![a-z0-9])")
_EMAIL = re.compile(r"[\w.+'-]+\s*(?:@|\(at\)|\[at\])\s*[\w-]+(?:\s*(?:\.|\(dot\)|\[dot\])\s*[\w-]+)+")
_NI = re.compile(r"(?<![a-z0-9])[a-z]{2}(?:[\s.-]*\d){6}[\s.-]*[a-d](?![a-z0-9])")
_PHONE = re.compile(r"(?<![\w+])(?:\+\s*44\s*(?:\(\s*0\s*\)\s*)?|\(\s*0|0)(?:[\s().-]*\d){9,10}(?![\d])")
_NHS = re.compile(r"(?<!\d)\d{3}[\s-]?\d{3}[\s-]?\d{4}(?!\d)")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")


def fold(text: str) -> str:
    """The text lower-cased with accents dropped and apostrophes and dashes made plain, one
    character for each of the text's (so a match's span is the same in both)."""
    out = []
    for char in text:
        if char in "’‘`´ʼ′":
            out.append(_APOS)
            continue
        if char in "‐‑‒–—―−":
            out.append("-")
            continue
        if unicodedata.combining(char):  # a mark written apart from its letter ("J" + caron)
            out.append(_MARK)
            continue
        base = unicodedata.normalize("NFKD", char)
        base = "".join(c for c in base if not unicodedata.combining(c)) or char
        lowered = base.lower().replace("ς", "σ")  # a final sigma is a sigma
        out.append(lowered[0] if lowered else char)
    return "".join(out)


def _words(text: str) -> list[str]:
    """The words of a name or an address line as written (apostrophes kept: "O'Brien")."""
    return [w for w in re.split(r"[^\w'’‘`´]+", text) if fold(w).strip("'")]


def _char(char: str) -> str:
    """One letter as a pattern: its folded form, or what it becomes decomposed or in capitals
    ("ŉ" is also "ʼn", "ß" also "SS"), with any combining marks after it."""
    options = {fold(char)}
    for variant in (unicodedata.normalize("NFKD", char), char.upper(), char.casefold()):
        folded = fold(variant).replace(_MARK, "")
        if folded:
            options.add(folded)
    alternatives = sorted(options, key=lambda o: (-len(o), o))
    body = re.escape(alternatives[0]) if len(alternatives) == 1 else (
        "(?:" + "|".join(re.escape(o) for o in alternatives) + ")")
    return body + _MARK + "*"


def _letters(word: str) -> str:
    """A word as a pattern tolerant of case, accents, spacing around its apostrophes and hyphens,
    and of Mc / Mac written either way ("McDonald", "Mc Donald", "MacDonald")."""
    folded = fold(word)
    start, end = 0, len(word)
    while start < end and folded[start] in "'-":
        start += 1
    while end > start and folded[end - 1] in "'-":
        end -= 1
    prefix = ""
    match = re.match(r"(mac|mc)(?=\w{2})", folded[start:end])
    if match:
        prefix, start = r"ma?c\s?", start + match.end()
    parts = []
    for index in range(start, end):
        char, plain = word[index], folded[index]
        if plain == _APOS:
            parts.append(r"'?\s?")
        elif plain == "-":
            parts.append(r"[-\s]?")
        elif char.isspace():
            parts.append(r"[\s-]+")
        else:
            parts.append(_char(char))
    return prefix + "".join(parts)


def _phrase(words: Sequence[str], sep: str = r"[\s,.-]+") -> str:
    return sep.join(_letters(w) for w in words)


def _street_word(word: str) -> str:
    """A street type with its abbreviations ("road" or "rd" or "rd."), else the word itself."""
    plain = fold(word)
    for full, short in STREET_TYPES.items():
        if plain == full or plain in short:
            return "(?:" + "|".join(re.escape(w) for w in (full, *short)) + r")\.?"
    return _letters(word)


@dataclass(frozen=True)
class Person:
    """One person whose details must not show, and the role that stands for their name."""

    role: str  # "the applicant", "household member 2", "the advocate", "the referrer"
    names: tuple[str, ...] = ()  # full names as written ("Edna May Fairweather")
    date_of_birth: date | None = None
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    ni_number: str = ""
    nhs_number: str = ""
    # named as the case's free text names them (an advocate, a referrer, a landlord): perhaps an
    # organisation, whose common words ("Hospital", "OT team") are not masked alone
    organisation: bool = False


@dataclass(frozen=True)
class Household:
    """What identifies the applicant: the people and the address of the case."""

    people: tuple[Person, ...]
    address_lines: tuple[str, ...] = ()  # "3 Elm Grove", "Flat 2", a house name, a locality
    town: str = ""
    postcode: str = ""
    others: tuple[tuple[str, str], ...] = ()  # (token, value): ("landlord", "Avon Lettings Ltd"), the UPRN


@dataclass
class Redacted:
    text: str
    counts: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    kind: str
    token: str  # "" when the token is worked out from the match (a postcode's district)


def district_of(postcode: str) -> str:
    """The outward code (district) of a postcode, upper case ("cv34 5xy" -> "CV34"), or ""."""
    match = _POSTCODE.fullmatch(fold(postcode).strip())
    return match.group(1).upper() if match else ""


def _date_patterns(born: date) -> list[str]:
    """A date of birth in the ways people write it: 14/03/1950, 14-3-50, 1950-03-14, 14 March 1950,
    14th Mar 1950, March 14th, 1950."""
    d, m, y = born.day, born.month, born.year
    day = rf"0?{d}"
    month = rf"0?{m}"
    year = rf"(?:{y}|'?{y % 100:02d})"
    name = _MONTHS[m - 1]
    month_word = rf"(?:{name}|{name[:3]}\.?{'|sept' if m == 9 else ''})"
    ordinal = r"(?:st|nd|rd|th)?"
    return [rf"(?<!\d){day}\s*[/.-]\s*{month}\s*[/.-]\s*{year}(?!\d)",
            rf"(?<!\d){y}\s*[/.-]\s*{month}\s*[/.-]\s*{day}(?!\d)",
            rf"(?<!\d){day}{ordinal}\s+(?:of\s+)?{month_word},?\s+{year}(?!\d)",
            rf"{_W}{month_word}\s+{day}{ordinal},?\s+{year}(?!\d)"]


def _digits_pattern(digits: str) -> str:
    return r"[\s().-]*".join(re.escape(c) for c in digits)


def _phone_pattern(phone: str) -> str | None:
    """A phone number however it is spaced, with 0 or +44 in front."""
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("44") and len(digits) > 10:
        digits = digits[2:]
    digits = digits.lstrip("0")
    if len(digits) < 6:
        return None
    return rf"(?<![\w+])(?:\+\s*44\s*(?:\(\s*0\s*\)\s*)?|\(?\s*0\s*\)?\s*)?{_digits_pattern(digits)}(?!\d)"


class Redactor:
    """Masks a household's identifiers in free text; ``today`` is the report's date (for ages)."""

    def __init__(self, household: Household, today: date) -> None:
        self.household = household
        self.today = today
        self._rules = self._build()

    # -- building the rules -----------------------------------------------------------------------

    def _build(self) -> list[_Rule]:
        rules: list[_Rule] = []

        def add(pattern: str, kind: str, token: str) -> None:
            rules.append(_Rule(re.compile(pattern), kind, token))

        people = self.household.people
        for person in people:
            for email in person.emails:
                if email.strip():
                    add(re.escape(fold(email.strip())), EMAIL, "[email]")
            for phone in person.phones:
                pattern = _phone_pattern(phone) if phone else None
                if pattern:
                    add(pattern, PHONE, "[phone]")
            if person.ni_number.strip():
                compact = re.sub(r"[^a-z0-9]", "", fold(person.ni_number))
                add(_W + r"[\s.-]*".join(re.escape(c) for c in compact) + _E, NI_NUMBER, "[NI number]")
            if person.nhs_number.strip():
                digits = re.sub(r"\D", "", person.nhs_number)
                if len(digits) >= 6:
                    add(rf"(?<!\d){_digits_pattern(digits)}(?!\d)", NHS_NUMBER, "[NHS number]")
            if person.date_of_birth is not None:
                age = age_on(person.date_of_birth, self.today)
                for pattern in _date_patterns(person.date_of_birth):
                    add(pattern, DATE_OF_BIRTH, f"[date of birth: aged {age}]")
        self._name_rules(add)
        self._address_rules(add)
        for label, value in self.household.others:
            words = _words(value)
            if words:
                add(_W + _phrase(words) + _E, OTHER, f"[{label}]")
        # anything shaped like an identifier, whoever's it is
        add(_EMAIL.pattern, EMAIL, "[email]")
        add(_NI.pattern, NI_NUMBER, "[NI number]")
        add(_PHONE.pattern, PHONE, "[phone]")
        add(_NHS.pattern, NHS_NUMBER, "[NHS number]")
        add(_POSTCODE.pattern, POSTCODE, "")
        return rules

    def _name_rules(self, add: object) -> None:
        """Each person's full names, then each name part: the role when the part is one person's,
        ``[name]`` when several share it (a family name)."""
        assert callable(add)
        owners: dict[str, tuple[str, set[str]]] = {}
        fulls: list[tuple[list[str], str, bool]] = []
        for person in self.household.people:
            for name in person.names:
                words = _words(name)
                if not words:
                    continue
                fulls.append((words, person.role, person.organisation))
                parts = set(words)
                for word in words:  # "mary-jane" also as "mary" and "jane"; "o'brien" also as "brien"
                    parts.update(p for p in re.split(r"[-'’‘`´]", word) if len(p) > 1 or len(words) == 1)
                for part in parts:
                    if person.organisation and len(words) > 1 and fold(part) in ORGANISATION_WORDS:
                        continue
                    owners.setdefault(fold(part), (part, set()))[1].add(person.role)
        for words, role, organisation in fulls:
            token = f"[{role}]"
            if len(words) > 1:
                # the full name and each run of its words ("O'Sullivan-McAllister"), a first name with
                # the last names ("Hope O'Sullivan-McAllister", middle names left out), and an
                # initial with the family name
                phrases = {tuple(words[i:j]) for i in range(len(words)) for j in range(i + 2, len(words) + 1)}
                phrases |= {(words[i], *words[j:]) for i in range(len(words)) for j in range(i + 2, len(words))}
                for phrase in sorted(phrases, key=len, reverse=True):
                    if organisation and phrase != tuple(words) and all(fold(w) in ORGANISATION_WORDS for w in phrase):
                        continue  # "OT team" of "Leamside Hospital OT team" (the whole name is always masked)
                    add(_W + _phrase(phrase) + r"s?" + _E, NAME, token)
                add(_W + _char(words[0][0]) + r"\.?\s*" + _letters(words[-1]) + r"s?" + _E, NAME, token)
        for part, roles in owners.values():
            token = f"[{next(iter(roles))}]" if len(roles) == 1 else "[name]"
            add(_W + _letters(part) + r"s?" + _E, NAME, token)

    def _address_rules(self, add: object) -> None:
        assert callable(add)
        household = self.household
        district = district_of(household.postcode)
        if household.postcode.strip():
            compact = re.sub(r"\s+", "", fold(household.postcode))
            if district:
                inward = compact[len(district):]
                add(rf"(?<![a-z0-9]){re.escape(district.lower())}[\s-]*{re.escape(inward)}(?![a-z0-9])", POSTCODE,
                    "")
                add(rf"(?<![a-z0-9]){re.escape(inward)}(?![a-z0-9])", POSTCODE, "[postcode]")
            else:
                add(r"\s*".join(re.escape(c) for c in compact), POSTCODE, "[postcode]")
        lines = [line for line in household.address_lines if line and line.strip()]
        if household.town.strip():
            lines_and_town = [*lines, household.town]
            add(_W + _SEP.join(_address_line(line) for line in lines_and_town) + _E, ADDRESS, "[address]")
        for line in lines:
            add(_W + _address_line(line) + _E, ADDRESS, "[address]")
            words = _words(line)
            numbers = [fold(w) for w in words if re.fullmatch(r"\d+[a-z]?", fold(w))]
            named = [w for w in words if not re.fullmatch(r"\d+[a-z]?", fold(w))]
            if named:  # the street or house name without its number
                add(_W + _SEP.join(_street_word(w) for w in named) + _E, ADDRESS, "[address]")
            for number in numbers:  # "No. 3", "number 3", "flat 2", "3 Elm"
                add(rf"{_W}(?:no\.?|number|num\.?|flat|apartment|apt\.?|house|unit)\s*{number}{_E}", ADDRESS,
                    "[address]")
                for word in named:
                    if fold(word) not in GENERIC_WORDS:
                        add(rf"{_W}{number}{_SEP}{_letters(word)}{_E}", ADDRESS, "[address]")
            for word in named:
                if fold(word) not in GENERIC_WORDS and len(fold(word).strip("'")) > 1:
                    add(_W + _letters(word) + r"s?" + _E, ADDRESS, "[address]")
        if household.town.strip():
            words = _words(household.town)
            add(_W + _phrase(words, r"[\s-]+") + _E, ADDRESS, "[town]")
            for word in words:
                if fold(word) not in GENERIC_WORDS and len(word) > 2:
                    add(_W + _letters(word) + _E, ADDRESS, "[town]")

    # -- redacting ---------------------------------------------------------------------------------

    def redact(self, text: str | None) -> Redacted:
        """The text with every identifier masked, and how many of each kind were."""
        out = Redacted("" if text is None else str(text))
        if not out.text.strip():
            return out
        tokens: list[str] = []
        working = out.text
        for _ in range(4):  # a second pass finds what a longer match next to it hid
            spans = self._spans(fold(working))
            if not spans:
                break
            pieces, last = [], 0
            for start, end, rule in spans:
                pieces.append(working[last:start])
                tokens.append(self._token(rule, working[start:end]))
                out.counts[rule.kind] += 1
                pieces.append(chr(_PRIVATE) + chr(_PRIVATE + 0x100 + len(tokens) - 1) + chr(_PRIVATE + 1))
                last = end
            pieces.append(working[last:])
            working = "".join(pieces)
        out.text = re.sub(f"{chr(_PRIVATE)}(.){chr(_PRIVATE + 1)}",
                          lambda m: tokens[ord(m.group(1)) - _PRIVATE - 0x100], working)
        return out

    def _spans(self, folded: str) -> list[tuple[int, int, _Rule]]:
        """Non-overlapping matches, longest first (so "3 Elm Grove" beats "Elm"), in text order."""
        found: list[tuple[int, int, int, _Rule]] = []
        for order, rule in enumerate(self._rules):
            for match in rule.pattern.finditer(folded):
                start, end = match.span()
                while end > start and folded[end - 1] in " ,.-":  # keep trailing punctuation
                    end -= 1
                if end > start:
                    found.append((start, end, order, rule))
        found.sort(key=lambda f: (-(f[1] - f[0]), f[2], f[0]))
        taken: list[tuple[int, int, _Rule]] = []
        for start, end, _order, rule in found:
            if all(end <= s or start >= e for s, e, _r in taken):
                taken.append((start, end, rule))
        return sorted(taken, key=lambda t: t[0])

    def _token(self, rule: _Rule, matched: str) -> str:
        if rule.token:
            return rule.token
        district = district_of(matched)
        return f"[postcode in {district}]" if district else "[postcode]"

    def redact_all(self, texts: Iterable[str | None]) -> tuple[list[str], Counter[str]]:
        counts: Counter[str] = Counter()
        out = []
        for text in texts:
            done = self.redact(text)
            counts.update(done.counts)
            out.append(done.text)
        return out, counts


def _address_line(line: str) -> str:
    """An address line as a pattern: its words in order, street types or their abbreviations."""
    return _SEP.join(_street_word(w) for w in _words(line))


class Tally:
    """A redactor that keeps count of what it masked over a whole report."""

    def __init__(self, redactor: Redactor) -> None:
        self.redactor = redactor
        self.counts: Counter[str] = Counter()

    def __call__(self, text: str | None) -> str:
        done = self.redactor.redact(text)
        self.counts.update(done.counts)
        return done.text
