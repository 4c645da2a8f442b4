"""The anonymised appeal report (policy 12.20): the case for the panel with every means of
identifying the applicant removed.

As for the pack and the letters, data first, then a renderer: :func:`compose` reads the case
detail (``store.cases.detail``), the appeal (a plain dict, as ``store.appeals`` keeps it) and the
photos the officer chose, and makes :class:`ReportData`, in which every piece of text that came
from the case has been through ``domain.redaction`` (names become roles, dates of birth ages,
the postcode its district); :func:`build_report` lays it out as tagged PDF with the documents'
renderer. The report never prints the case reference, the council's name (it names the town)
or anyone's name; the audit entry of the export links the report's SHA-256 to the case.

Photos appear only where the officer chose them and confirmed each shows no faces and no house
numbers (who and when are printed under it and kept in the audit entry); their alternative text
is the redacted caption.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from heart_desktop import __version__
from heart_desktop.documents import render
from heart_desktop.documents.model import PackData, fingerprint, from_detail
from heart_desktop.documents.render import Safe, file_url, h, join
from heart_desktop.documents.template import grid, kv_table
from heart_desktop.domain.assistance import TYPE_NAMES
from heart_desktop.domain.dates import age_on
from heart_desktop.domain.money import fmt
from heart_desktop.domain.redaction import Household, Person, Redactor, Tally, district_of, without_title

TITLE = "Anonymised appeal report for the panel"
SECTION = "12.20"
CONFIRMATION = "shows no faces and no house numbers"
OT_FORM = "ot_needs_assessment"
OT_SKIP = frozenset({"ot_name", "ot_signature", "signature", "ot_registration"})  # who the OT is: not needed
KIND_WORDS = {"technical": "Technical or professional appeal (policy 12.4)",
              "professional": "Technical or professional appeal (policy 12.4)",
              "special": "Special case (policy 12.5)"}
PANEL_WORDS = {"supervisors": "Supervisors Panel", "senior": "Senior Management Panel"}


class ReportRefused(ValueError):
    """The case cannot have the report yet (no appeal, no decision) or a photo is not the case's."""

    def __init__(self, message: str, field_name: str = "case") -> None:
        super().__init__(message)
        self.field = field_name


@dataclass(frozen=True)
class Part:
    """One piece of the report: a heading, a paragraph, a list, a table of label and value rows, or
    a grid (``header`` and ``cells``)."""

    kind: str  # heading, para, list, table, grid
    text: str = ""
    items: tuple[str, ...] = ()
    rows: tuple[tuple[str, str], ...] = ()
    header: tuple[str, ...] = ()
    cells: tuple[tuple[str, ...], ...] = ()
    widths: tuple[float, ...] = ()  # a grid's columns, percentages of the width

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "items": list(self.items), "rows": [list(r) for r in self.rows],
                "header": list(self.header), "cells": [list(c) for c in self.cells]}

    def words(self) -> list[str]:
        return [self.text, *self.items, *(f"{a} {b}" for a, b in self.rows), *self.header,
                *(" ".join(c) for c in self.cells)]


@dataclass(frozen=True)
class ReportPhoto:
    """A photo the officer chose for the panel, with who confirmed it shows no faces or house
    numbers and when; ``alt`` is its redacted caption."""

    attachment_id: str
    sha256: str
    alt: str
    confirmed_by: str
    confirmed_at: str
    data: bytes = field(default=b"", repr=False, compare=False)

    def as_json(self) -> dict[str, Any]:
        return {"id": self.attachment_id, "sha256": self.sha256, "alt": self.alt, "confirmed_by": self.confirmed_by,
                "confirmed_at": self.confirmed_at, "confirmed": CONFIRMATION}


@dataclass(frozen=True)
class ReportData:
    dated: date
    parts: tuple[Part, ...]
    photos: tuple[ReportPhoto, ...]
    masked: dict[str, int]
    policy_version: str
    appeal_id: str | None = None

    @property
    def shown(self) -> dict[str, Any]:
        return {"dated": self.dated.isoformat(), "parts": [p.as_json() for p in self.parts],
                "photos": [p.as_json() for p in self.photos], "policy": self.policy_version}

    @property
    def report_id(self) -> str:
        """SHA-256 of what the report shows: printed on every page instead of the case reference."""
        return fingerprint({"shown": self.shown, "version": __version__})

    @property
    def title(self) -> str:
        return f"{TITLE} {self.report_id[:12]}"

    def text(self) -> str:
        """Every word the report shows, in order, with the photos' alternative text."""
        out = [self.title]
        for part in self.parts:
            out += part.words()
        out += [p.alt for p in self.photos]
        return "\n".join(t for t in out if t)


@dataclass(frozen=True)
class BuiltReport:
    pdf: bytes
    sha256: str
    report_id: str
    pages: int


# -- who must not be identified ------------------------------------------------------------------


def _advocate_name(text: str) -> str:
    """The name in what the case holds of an advocate or referrer ("Dr Jane Doe (GP), 07700 900123")."""
    for stop in ("(", ",", ";", " - "):
        text = text.split(stop)[0]
    return without_title(" ".join(text.split()))


def roles_of(people: Sequence[Mapping[str, Any]]) -> list[str]:
    """The role that stands for each person's name: the applicant, then household member 2, 3..."""
    out, number = [], 1
    for person in people:
        if person.get("is_applicant") and "the applicant" not in out:
            out.append("the applicant")
        else:
            number += 1
            out.append(f"household member {number}")
    return out


FORM_ROLES = {"applicant": "the applicant", "customer": "the applicant", "disabled": "the disabled person",
              "partner": "the partner", "landlord": "the landlord"}
STAFF_FIELDS = frozenset({"officer_name", "ot_name", "assessor_name"})  # the council's staff, not the household


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _form_people(forms: Sequence[Mapping[str, Any]]) -> tuple[list[Person], list[str], list[tuple[str, str]], str]:
    """The identifiers the forms hold (every version of each): names, dates of birth, phones, emails
    and NI numbers, whether of the applicant, the disabled person, a partner, a landlord or someone
    listed in a repeat (the household, dependent children); addresses and the postcode."""
    people: list[Person] = []
    lines: list[str] = []
    others: list[tuple[str, str]] = []
    postcode = ""

    def person(prefix: str, values: Mapping[str, Any], role: str) -> None:
        def pick(suffix: str) -> str:
            return str(values.get(f"{prefix}{suffix}") or "").strip()

        name, born = pick("name"), _date(values.get(f"{prefix}date_of_birth"))
        phone, email, ni = pick("phone"), pick("email"), pick("ni_number")
        if name or born or phone or email or ni:
            people.append(Person(role, (name,) if name else (), born, (phone,) if phone else (),
                                 (email,) if email else (), ni, organisation=role == "the landlord"))
        address = pick("address")
        if address:
            (others.append((role.removeprefix("the "), address)) if role == "the landlord" else lines.append(address))

    for row in forms:
        if row.get("deleted"):
            continue
        answers = row.get("answers") or {}
        if not isinstance(answers, Mapping):
            continue
        prefixes = {key[: -len(suffix)] for key in answers for suffix in ("name", "date_of_birth", "ni_number",
                                                                            "phone", "email", "address")
                    if key.endswith(suffix) and key not in STAFF_FIELDS}
        for prefix in sorted(prefixes):
            role = FORM_ROLES.get(prefix.rstrip("_"), "the applicant" if not prefix else "a household member")
            person(prefix, answers, role)
        postcode = postcode or str(answers.get("postcode") or "")
        for value in answers.values():  # repeats: the household, dependent children
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, Mapping):
                        person("", item, "a household member")
    return people, lines, others, postcode


def household_of(detail: Mapping[str, Any], extra_names: Sequence[tuple[str, str]] = ()) -> Household:
    """Everything in the case that identifies the household: the people, the address, the advocate,
    the referrer, the landlord, the appellant and their representative, and whatever the forms
    hold of them (names, dates of birth, phones, emails, NI numbers, addresses)."""
    from heart_desktop.domain.redaction import fold

    case = detail.get("case") or {}
    people = [p for p in detail.get("people") or [] if not p.get("deleted")]
    persons: list[Person] = []
    for person, role in zip(people, roles_of(people), strict=True):
        given, family = str(person.get("given_name") or ""), str(person.get("family_name") or "")
        persons.append(Person(role, (f"{given} {family}".strip(),), _date(person.get("date_of_birth")),
                              tuple(str(v) for v in [person.get("phone")] if v),
                              tuple(str(v) for v in [person.get("email")] if v),
                              str(person.get("ni_number") or ""), str(person.get("nhs_number") or "")))
    advocate = str(case.get("advocate") or "").strip()
    if advocate:
        persons.append(Person("the advocate", (_advocate_name(advocate),), phones=(advocate,), organisation=True))
    referrer = str(case.get("referrer") or "").strip()
    contact = str(case.get("referrer_contact") or "").strip()
    if referrer or contact:
        persons.append(Person("the referrer", (_advocate_name(referrer),) if referrer else (),
                              phones=(contact,) if contact else (), emails=(contact,) if "@" in contact else (),
                              organisation=True))
    persons += [Person(role, (name,), organisation=True) for role, name in extra_names if name.strip()]
    from_forms, form_lines, form_others, form_postcode = _form_people(detail.get("forms") or [])
    known = {fold(" ".join(n.split())) for p in persons for n in p.names}
    for found in from_forms:  # a name the people rows already hold keeps its role there
        fresh = tuple(n for n in found.names if fold(" ".join(n.split())) not in known)
        known.update(fold(" ".join(n.split())) for n in fresh)
        persons.append(Person(found.role, fresh, found.date_of_birth, found.phones, found.emails, found.ni_number,
                              organisation=found.organisation))
    prop = detail.get("property") or {}
    lines = tuple(str(prop[k]) for k in ("address_line1", "address_line2") if prop.get(k))
    lines += tuple(form_lines)
    if case.get("address"):
        lines += (str(case["address"]),)
    others: list[tuple[str, str]] = list(form_others)
    for key, label in (("landlord", "landlord"), ("uprn", "property reference")):
        if prop.get(key):
            others.append((label, str(prop[key])))
    postcode = str(prop.get("postcode") or form_postcode or case.get("postcode") or "")
    return Household(tuple(persons), tuple(dict.fromkeys(lines)), str(prop.get("town") or ""), postcode,
                     tuple(others))


# -- the report's parts ----------------------------------------------------------------------------


def _day(value: Any) -> str:
    if value is None or value == "":
        return ""
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value)[:10])
        except ValueError:
            return str(value)
    return f"{value.day} {value:%B %Y}"


def _born(person: Mapping[str, Any]) -> date | None:
    value = person.get("date_of_birth")
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _household_parts(pack: PackData, red: Tally, today: date, district: str) -> list[Part]:
    people = pack.people
    roles = roles_of(people)
    cells = []
    applicant_words = "The applicant"
    for person, role in zip(people, roles, strict=True):
        born = _born(person)
        age = str(age_on(born, today)) if born else "not recorded"
        relationship = "applicant" if person.get("is_applicant") else red(str(person.get("relationship") or ""))
        disabled = "Yes" if person.get("is_disabled_person") else "No"
        cells.append((role[0].upper() + role[1:], age, relationship or "not recorded", disabled))
        if person.get("is_applicant"):
            applicant_words = (f"The applicant is aged {age}" if born else "The applicant's age is not recorded")
            applicant_words += ", and is the disabled person." if person.get("is_disabled_person") else "."
    tenure = {"owner": "owner-occupier", "private_tenant": "private tenant", "council_tenant": "council tenant",
              "housing_association_tenant": "housing association tenant"}.get(str(pack.tenure or ""), "not recorded")
    prop = pack.property
    rows = [("Postcode district", district or "not recorded"), ("Council", str(pack.case.get("council") or "")),
            ("Tenure", tenure)]
    if prop.get("property_type"):
        rows.append(("Property type", red(str(prop["property_type"]))))
    if prop.get("bedrooms"):
        rows.append(("Bedrooms", str(prop["bedrooms"])))
    parts = [Part("heading", "The applicant and the household"), Part("para", applicant_words),
             Part("table", rows=tuple(rows))]
    if cells:
        parts.append(Part("grid", header=("Who", "Age", "Relationship to the applicant", "Disabled person"),
                          cells=tuple(cells)))
    return parts


def _ot_parts(pack: PackData, red: Tally) -> list[Part]:
    """The OT recommendation summary: each answered question of the needs assessment, redacted."""
    from heart_desktop.documents.formtext import form_definition
    from heart_desktop.formkit.values import display, is_blank

    answers = pack.forms.get(OT_FORM)
    parts = [Part("heading", "Needs: the occupational therapist's recommendation (policy 4.1.6)")]
    form = form_definition(OT_FORM)
    if not answers or form is None:
        return [*parts, Part("para", "No occupational therapy assessment is recorded on the case.")]
    rows: list[tuple[str, str]] = []
    grids: list[Part] = []
    for section in form.sections:
        for f in section.fields:
            value = answers.get(f.id)
            if f.id in OT_SKIP or f.type in ("note", "signature", "photo", "calculate", "computed") or is_blank(value):
                continue
            if f.type == "group" and isinstance(value, Mapping):
                others = [k for k, v in value.items() if k != "difficulty" and not is_blank(v)]
                if value.get("difficulty") in ("independent", "not_applicable") and not others:
                    continue  # a daily task managed without help: not a need
                shown = [f"{c.label}: {display(c, value.get(c.id))}" for c in f.fields
                         if not is_blank(value.get(c.id)) and c.type not in ("photo", "signature")]
                if shown:
                    rows.append((f.label, red("; ".join(shown))))
            elif f.type == "repeat" and isinstance(value, list):
                columns = [c for c in f.fields if c.takes_answer and c.type not in ("photo", "signature")]
                body = tuple(tuple(red(display(c, row.get(c.id)) or "") for c in columns)
                             for row in value if isinstance(row, Mapping))
                if body:
                    grids.append(Part("grid", header=tuple(c.label for c in columns), cells=body))
            else:
                rows.append((f.label, red(display(f, value))))
    if rows:
        parts.append(Part("table", rows=tuple(rows)))
    return parts + grids


def _hazard_parts(pack: PackData, red: Tally) -> list[Part]:
    from heart_desktop.documents.hhsrs_report import _hazard_names

    parts = [Part("heading", "Hazards found (HHSRS)")]
    if not pack.hazards:
        return [*parts, Part("para", "No hazards are rated on the case.")]
    names = _hazard_names()
    cells = tuple((names.get(str(hz.get("hazard")), str(hz.get("hazard"))), str(hz.get("score") or ""),
                   str(hz.get("band") or ""), f"Category {hz.get('category')}" if hz.get("category") else "",
                   red(str(hz.get("notes") or ""))) for hz in pack.hazards)
    return [*parts, Part("grid", header=("Hazard", "Score", "Band", "Category", "Notes"), cells=cells,
                         widths=(24, 9, 8, 14, 45))]


def _works_parts(pack: PackData, red: Tally) -> list[Part]:
    parts = [Part("heading", "The works and their cost")]
    if not pack.works:
        return [*parts, Part("para", "No schedule of works is recorded on the case.")]
    cells = [(red(w.location), red(w.description), f"{w.quantity} {red(w.unit)}", fmt(w.net)) for w in pack.works]
    totals = pack.totals
    cells += [("", "Total before VAT", "", fmt(totals.net)), ("", "VAT", "", fmt(totals.vat)),
              ("", "Total", "", fmt(totals.gross))]
    return [*parts, Part("grid", header=("Where", "Work", "Quantity", "Cost before VAT"), cells=tuple(cells),
                         widths=(25, 45, 12, 18))]


def _decision_parts(pack: PackData, detail: Mapping[str, Any], red: Tally) -> list[Part]:
    parts = [Part("heading", "The decision on the application")]
    recorded = latest_decision(detail)
    case = detail.get("case") or {}
    if recorded is None and case.get("outcome"):  # closed with its outcome, no decision row
        rows_c = [("Outcome", f"the case was closed as {str(case['outcome']).replace('_', ' ')}"),
                  ("On", _day(case.get("outcome_on")) or "not recorded")]
        if case.get("outcome_reason"):
            rows_c.append(("Reason", red(str(case["outcome_reason"]))))
        parts.append(Part("table", rows=tuple(rows_c)))
    elif recorded is None:
        parts.append(Part("para", "No decision on the application is recorded on the case."))
    else:
        outcome = str(recorded.get("outcome") or "")
        rows = [("Outcome", outcome.replace("_", " ").capitalize()), ("Decided on", _day(recorded.get("decided_on")))]
        if recorded.get("amount_pence"):
            rows.append(("Amount", fmt(int(recorded["amount_pence"]))))
        parts.append(Part("table", rows=tuple(rows)))
        reasons = [red(str(r)) for r in recorded.get("reasons") or [] if str(r).strip()]
        if reasons:
            parts += [Part("para", "The officer's reasons:"), Part("list", items=tuple(reasons))]
    decision = pack.decision
    if decision is not None:
        rules = [red(f"{TYPE_NAMES.get(key, key)}: {'eligible' if t.eligible else 'not eligible'}."
                     + "".join(f" {r.text} (policy {r.section})." for r in t.reasons))
                 for key, t in decision.types.items()]
        parts += [Part("para", "Each type of assistance under the policy's rules, with the sections they rest on:"),
                  Part("list", items=tuple(rules))]
    elif pack.decision_problem:
        parts.append(Part("para", red(f"The policy's rules could not be applied: {pack.decision_problem}")))
    return parts


def _means_parts(pack: PackData) -> list[Part]:
    parts = [Part("heading", "The means test and how the cost is met")]
    decision = pack.decision
    if decision is None:
        return [*parts, Part("para", "The figures cannot be worked out from the case.")]
    from heart_desktop.domain.award import award_lines

    rows = tuple((line.label.strip(), fmt(line.amount)) for line in award_lines(decision.award))
    return [*parts, Part("table", rows=rows)]


def _criterion_rows(appeal: Mapping[str, Any], red: Tally) -> tuple[tuple[str, ...], ...]:
    """Each criterion (12.4, 12.7, 12.8) with whether it is claimed and its evidence: from the
    appeal's ``criteria`` (each with its words, section and ``answer``, as ``domain.appeals.describe``
    gives them, the unanswered too) or, failing that, its stored ``answers`` (key -> answer)."""
    criteria = appeal.get("criteria")
    if not criteria:
        answers = appeal.get("answers") or {}
        criteria = [{"key": key, "answer": value} for key, value in answers.items()] if isinstance(
            answers, Mapping) else list(answers)
    out = []
    for item in criteria:
        if not isinstance(item, Mapping):
            continue
        words = str(item.get("words") or item.get("text") or item.get("key") or "").replace("_", " ")
        section = str(item.get("section") or "")
        answer = item.get("answer")
        if not isinstance(answer, Mapping):
            answer = {"claimed": item.get("claimed", item.get("met", answer)), "evidence": item.get("evidence")}
        claimed = answer.get("claimed")
        said = "Yes" if claimed is True else "No" if claimed is False else "not answered yet"
        evidence = red(" ".join(str(answer.get("evidence") or "").split()))
        out.append((red(words) + (f" (policy {section})" if section else ""), said, evidence or "none given"))
    return tuple(out)


def _panel_name(appeal: Mapping[str, Any], key: str, red: Tally) -> str:
    panels = appeal.get("panels") or {}
    named = panels.get(key, {}).get("name") if isinstance(panels, Mapping) else None
    return str(named or PANEL_WORDS.get(key) or red(key))


def _advice_of(appeal: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The 12.14 advice recorded on the medical criterion's answer: from the stored ``answers`` or
    from ``criteria`` as ``domain.appeals.describe`` gives them."""
    answers = appeal.get("answers")
    found = list(answers.values()) if isinstance(answers, Mapping) else []
    found += [c.get("answer") for c in appeal.get("criteria") or [] if isinstance(c, Mapping)]
    return next((a["advice"] for a in found if isinstance(a, Mapping) and isinstance(a.get("advice"), Mapping)),
                None)


def _advice_parts(appeal: Mapping[str, Any], red: Tally) -> list[Part]:
    """Independent medical advice (12.14), where the medical criterion is used: who gave it (a role),
    when, what it says (scanned like every free text) and its revenue cost."""
    advice = _advice_of(appeal)
    if advice is None:
        return []
    rows = [("Asked for on", _day(advice.get("requested_on")) or "not recorded"),
            ("From", red(str(advice.get("source") or "")) or "not recorded"),
            ("Received on", _day(advice.get("received_on")) or "not received yet: the panel waits for it"),
            ("What it says", red(str(advice.get("summary") or "")) or "not received yet")]
    if advice.get("cost"):
        rows.append(("Revenue cost", f"£{advice['cost']}"))
    return [Part("heading", "Independent medical advice (12.14)"), Part("table", rows=tuple(rows))]


def _appeal_parts(appeal: Mapping[str, Any] | None, red: Tally) -> list[Part]:
    if appeal is None:
        return [Part("heading", "The appeal"), Part("para", "No appeal is recorded on the case yet.")]
    kind = str(appeal.get("kind") or "")
    if appeal.get("kind_label"):
        kind_words = f"{appeal['kind_label']} (policy {appeal.get('kind_section') or ''})".replace(" (policy )", "")
    else:
        kind_words = KIND_WORDS.get(kind, red(kind) or "not recorded")
    rows = [("Kind", kind_words), ("Lodged on", _day(appeal.get("lodged_on")) or "not recorded")]
    if appeal.get("stage_label") or appeal.get("stage"):
        rows.append(("Stage", red(str(appeal.get("stage_label") or appeal.get("stage")).replace("_", " "))))
    if "assisted" in appeal:
        rows.append(("Written case", "made with the HEART service's help (12.10)" if appeal.get("assisted")
                     else "made by the appellant (12.10)"))
    parts = [Part("heading", "The appeal (policy 12.2 to 12.10)"), Part("table", rows=tuple(rows)),
             Part("heading", "The appellant's grounds (the written case, 12.10)"),
             Part("para", red(str(appeal.get("grounds") or "")) or "No grounds are recorded.")]
    criteria = _criterion_rows(appeal, red)
    parts.append(Part("heading", "The criteria, each with its evidence (12.4, 12.7, 12.8)"))
    parts.append(Part("grid", header=("Criterion", "Claimed", "Evidence"), cells=criteria, widths=(38, 16, 46))
                 if criteria
                 else Part("para", "No criterion is answered yet."))
    parts += _advice_parts(appeal, red)
    decisions = appeal.get("decisions") or []
    parts.append(Part("heading", "The panels' decisions so far (12.11 to 12.17)"))
    cells = []
    for item in decisions:
        if not isinstance(item, Mapping):
            continue
        outcome = red(str(item.get("decision") or "").replace("_", " "))
        if item.get("urgent"):
            outcome += " (the panel orders the case dealt with urgently, 12.19)"
        reasons = item.get("reasons") or ""
        if isinstance(reasons, list | tuple):
            reasons = "; ".join(str(r) for r in reasons)
        cells.append((_panel_name(appeal, str(item.get("panel") or ""), red), _day(item.get("decided_on")), outcome,
                      red(str(reasons))))
    parts.append(Part("grid", header=("Panel", "Date", "Decision", "Reasons"), cells=tuple(cells),
                      widths=(20, 18, 20, 42)) if cells
                 else Part("para", "No panel has decided yet."))
    escalation = appeal.get("escalation")
    if isinstance(escalation, Mapping) and escalation:
        hearing = escalation.get("hearing")
        rows_e = [("Escalated on", _day(escalation.get("escalated_on")) or "not recorded"),
                  ("Hearing of the Senior Management Panel", _day(escalation.get("hearing_on")) or "not fixed yet"),
                  ("The appellant", "attends the hearing" if hearing == "attends" else "asks for a written hearing"
                   if hearing == "written" else "not recorded")]
        if escalation.get("representative"):
            rows_e.append(("Representative", "the appellant brings a representative (12.16)"))
        for key, label in (("implications", "Implications of a positive decision (12.15)"),
                           ("information", "Further information asked for (12.15)")):
            if escalation.get(key):
                rows_e.append((label, red(str(escalation[key]))))
        parts += [Part("heading", "Escalation (12.6, 12.15, 12.16)"), Part("table", rows=tuple(rows_e))]
    outcome = appeal.get("outcome")
    if isinstance(outcome, Mapping) and outcome:
        form = str(outcome.get("form") or "")
        rows_o = [("Outcome", "a standard form of assistance" + (", modified" if outcome.get("modification") else "")
                   if form == "standard" else "a special form of assistance" if form == "special" else red(form)),
                  ("Decided by", _panel_name(appeal, str(outcome.get("panel") or ""), red)),
                  ("Decided on", _day(outcome.get("decided_on")))]
        if outcome.get("assistance_type"):
            rows_o.append(("Assistance", TYPE_NAMES.get(str(outcome["assistance_type"]),
                                                        red(str(outcome["assistance_type"])))))
        for key, label in (("modification", "Modified as"), ("description", "The special form"),
                           ("terms", "Its terms and conditions")):
            if outcome.get(key):
                rows_o.append((label, red(str(outcome[key]))))
        parts += [Part("heading", "Outcome (12.21)"), Part("table", rows=tuple(rows_o))]
    return parts


def _notes_parts(detail: Mapping[str, Any], red: Tally) -> list[Part]:
    notes = [n for n in detail.get("notes") or [] if not n.get("deleted")]
    parts = [Part("heading", "Notes on the case")]
    if not notes:
        return [*parts, Part("para", "No notes.")]
    return [*parts, Part("grid", header=("Written", "Note"), widths=(18, 82),
                         cells=tuple((_day(n.get("written_at")), red(str(n.get("body") or ""))) for n in notes))]


def _contact_parts(detail: Mapping[str, Any], red: Tally) -> list[Part]:
    contacts = sorted((c for c in detail.get("contacts") or [] if not c.get("deleted")),
                      key=lambda c: str(c.get("at") or ""))
    parts = [Part("heading", "Contacts with the applicant and others")]
    if not contacts:
        return [*parts, Part("para", "No contacts are logged.")]
    cells = tuple((_day(c.get("at")), f"{c.get('kind') or ''} ({c.get('direction') or ''})",
                   red(str(c.get("who") or "")), red(str(c.get("summary") or ""))) for c in contacts)
    return [*parts, Part("grid", header=("When", "How", "With", "What was said"), cells=cells,
                         widths=(15, 13, 22, 50))]


def _bare(data: bytes) -> bytes:
    """The photo's pixels alone, encoded afresh: no EXIF (a camera's GPS position is the address),
    no comment, no colour profile naming a device; empty when the bytes are not a picture."""
    import io

    from PIL import Image, UnidentifiedImageError

    if not data:
        return b""
    try:
        with Image.open(io.BytesIO(data)) as picture:
            rgb = picture.convert("RGB")
    except (UnidentifiedImageError, OSError):
        return b""
    pixels = Image.frombytes("RGB", rgb.size, rgb.tobytes())  # a new image: none of the file's info comes
    out = io.BytesIO()
    pixels.save(out, format="JPEG", quality=85)
    return out.getvalue()


def latest_decision(detail: Mapping[str, Any]) -> dict[str, Any] | None:
    """The latest decision on the application recorded on the case."""
    rows = [d for d in detail.get("decisions") or [] if d.get("kind") == "application" and not d.get("deleted")]
    return max(rows, key=lambda d: (str(d.get("decided_on") or ""), str(d.get("updated_at") or "")), default=None)


def compose(detail: Mapping[str, Any], appeal: Mapping[str, Any] | None, *, today: date,
            photos: Sequence[tuple[str, str, str]] = (), loader: Callable[[str], bytes] | None = None) -> ReportData:
    """The report's data. ``photos``: (attachment id, who confirmed, when) of each photo the officer
    chose and confirmed shows no faces or house numbers; ``loader`` reads a photo's bytes by SHA-256."""
    pack = from_detail(detail, loader)
    extra = []
    if appeal:
        appellant = str(appeal.get("appellant") or "").strip()
        if appellant and appellant.casefold() not in ("the applicant", "applicant"):
            extra.append(("the appellant", _advocate_name(appellant)))
        escalation = appeal.get("escalation")
        if isinstance(escalation, Mapping) and escalation.get("representative"):
            extra.append(("the representative", _advocate_name(str(escalation["representative"]))))
    household = household_of(detail, extra)
    red = Tally(Redactor(household, today))
    district = district_of(household.postcode)
    parts: list[Part] = [
        Part("para", f"Prepared on {_day(today)} for the appeal panels under policy {SECTION}: the names, the "
                     "address, the postcode (shown to its district), the dates of birth (shown as ages), phone "
                     "numbers, email addresses and NI numbers of the household have been removed, and every "
                     "piece of free text has been scanned for them. Each one removed is shown as a marker in "
                     "square brackets; a person's name as their role, such as [the applicant]."),
        *_household_parts(pack, red, today, district), *_ot_parts(pack, red), *_hazard_parts(pack, red),
        *_works_parts(pack, red), *_decision_parts(pack, detail, red), *_means_parts(pack),
        *_appeal_parts(appeal, red), *_notes_parts(detail, red), *_contact_parts(detail, red)]
    chosen = []
    attachments = {str(a["id"]): a for a in detail.get("attachments") or []
                   if a.get("kind") == "photo" and not a.get("deleted")}
    for number, (attachment_id, confirmed_by, confirmed_at) in enumerate(photos, start=1):
        row = attachments.get(attachment_id)
        if row is None:
            raise ReportRefused(f"photo: {attachment_id} is not a photo of this case", "photo")
        caption = red(" ".join(str(row.get("caption") or "").split()))
        alt = caption or f"Photo {number} of the property (no caption)"
        data = _bare(loader(str(row["sha256"]))) if loader else b""
        chosen.append(ReportPhoto(attachment_id, str(row["sha256"]), alt, confirmed_by, confirmed_at, data))
    if chosen:
        parts.append(Part("heading", "Photos the officer chose for the panel"))
    return ReportData(dated=today, parts=tuple(parts), photos=tuple(chosen), masked=dict(sorted(red.counts.items())),
                      policy_version=pack.policy_version,
                      appeal_id=str(appeal.get("id")) if appeal and appeal.get("id") else None)


# -- layout ------------------------------------------------------------------------------------------

REPORT_CSS = """
.report h2 { break-after: avoid; }
.report .grid td, .report .grid th { font-size: 10pt; }
"""


def _part(part: Part) -> Safe:
    if part.kind == "heading":
        return h("h2", part.text)
    if part.kind == "list":
        return h("ul", *[h("li", item) for item in part.items])
    if part.kind == "table":
        return kv_table(list(part.rows))
    if part.kind == "grid":
        return grid(list(part.header), [list(c) for c in part.cells], row_headers=True, class_="grid",
                    widths=part.widths or None)
    return h("p", part.text)


def _photo(photo: ReportPhoto) -> Safe:
    said = f"Confirmed by {photo.confirmed_by} on {_day(photo.confirmed_at)} as a photo that {CONFIRMATION}."
    if not photo.data:
        return h("div", h("p", f"{photo.alt}: the photo is not on this laptop.", class_="missing"), class_="photo")
    return h("div", h("img", src=file_url(photo.sha256), alt=photo.alt), h("p", photo.alt, class_="caption"),
             h("p", said, class_="caption"), class_="photo")


def _footer_css(data: ReportData) -> str:
    line = render.css_string(f"{TITLE}  ·  policy {SECTION}  ·  not to be published with any identifying detail")
    ident = render.css_string(f"HEART Desktop {__version__}  ·  report {data.report_id[:12]}")
    return (f"@page {{ @bottom-left {{ content: {line} '\\A' {ident}; }} "
            "@bottom-right { content: 'Page ' counter(page) ' of ' counter(pages); } }\n")


def build_report(data: ReportData) -> BuiltReport:
    """The report as tagged PDF (PDF/UA-1, /Lang en-GB, its title shown in the window)."""
    body = join([h("h1", TITLE), *[_part(p) for p in data.parts],
                 h("div", *[_photo(p) for p in data.photos], class_="photos") if data.photos else None])
    html = render.page(data.title, h("main", body, class_="report"))
    files = {p.sha256: p.data for p in data.photos if p.data}
    out = render.pdf(html, identifier=data.report_id, extra_css=REPORT_CSS + _footer_css(data), files=files)
    return BuiltReport(out.pdf, hashlib.sha256(out.pdf).hexdigest(), data.report_id, out.pages)


def masked_total(counts: Mapping[str, int]) -> int:
    return sum(Counter(counts).values())
