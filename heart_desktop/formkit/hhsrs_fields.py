"""Expand an ``hhsrs_hazards`` field into one group per hazard of the scheme in force.

The hazard list is data (``resources/hhsrs``), and which list applies depends on the date the
inspection began (29 hazards of 2006, or the 21 of 2026 from 23 June 2026), so a definition cannot
spell the hazards out. It declares the questions asked of *each* hazard once, and this module copies
them per hazard at runtime, filling ``choices_from`` with the scheme's representative scale points.
Where a scheme's scale is not known (2026, for now) the question becomes a plain number, with the
scheme's own note as help, rather than inventing points.

Answers for the field are ``{hazard_key: {child_id: value}}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from heart_desktop.formkit.definitions import Choice, Field, Form, Section

_CLASS_FIELDS = {"class_i": 0, "class_ii": 1, "class_iii": 2, "class_iv": 3}


def _number_text(value: float) -> str:
    return f"{value:g}"


def inspection_date(form: Form, field: Field, answers: Mapping[str, Any]) -> date | None:
    raw = answers.get(field.scheme_date or "")
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw)) if raw else None
    except ValueError:
        return None


def scheme_for_date(when: date) -> Any:
    """The scheme in force for an inspection begun on ``when`` (from :mod:`domain.hhsrs`)."""
    from heart_desktop.domain.hhsrs import scheme_for

    return scheme_for(when)


def _likelihood_choices(scheme: Any) -> tuple[Choice, ...]:
    out = []
    for row in scheme.likelihood_points:
        if row.up_to is None:
            span = f"less likely than 1 in {_number_text(row.above)}"
        elif row.above <= 0:
            span = f"1 in {_number_text(row.up_to)} or more likely"
        else:
            span = f"1 in {_number_text(row.above)} to 1 in {_number_text(row.up_to)}"
        out.append(Choice(_number_text(row.point), f"1 in {_number_text(row.point)}", f"range {span}"))
    return tuple(out)


def _harm_choices(scheme: Any) -> tuple[Choice, ...]:
    return tuple(Choice(_number_text(p), f"{_number_text(p)}%") for p in scheme.harm_points)


def _unknown_note(scheme: Any, table: str) -> str:
    try:
        return scheme.status(table).note
    except Exception:  # a scheme without the table: say so plainly
        return f"The {scheme.id} scheme's {table} scale is not known."


def _template_child(child: Field, scheme: Any) -> Field:
    updated = child
    if child.id in _CLASS_FIELDS:
        name = scheme.class_names[_CLASS_FIELDS[child.id]]
        if name not in child.label:
            updated = replace(updated, label=f"{child.label} ({name})")
    if child.choices_from == "hhsrs.likelihood_points":
        choices = _likelihood_choices(scheme)
        note = _unknown_note(scheme, "likelihood")
        table = "likelihood"
    elif child.choices_from == "hhsrs.harm_points":
        choices = _harm_choices(scheme)
        note = _unknown_note(scheme, "harm")
        table = "harm"
    else:
        return updated
    if choices:
        return replace(updated, choices=choices, choices_from=None, meta={"scale": table})
    # No scale known: ask for the figure as judged, and say why.
    bounds = {"min": 0.0, "max": 100.0} if table == "harm" else {"min": 0.0, "max": None}
    return replace(
        updated,
        type="number",
        choices=(),
        choices_from=None,
        help=(updated.help + "\n" if updated.help else "") + note,
        meta={"scale": table, "scale_unknown": True},
        **bounds,
    )


PENDING = "Enter the date the inspection began to list the hazards."


def expand_field(field: Field, scheme: Any | None, pending: str = PENDING) -> Field:
    """The ``hhsrs_hazards`` field as a ``group`` of one ``group`` per hazard (none without a scheme)."""
    if scheme is None:
        return replace(field, type="group", fields=(), scheme_date=None, meta={"hhsrs": True, "pending": pending})
    template = tuple(_template_child(child, scheme) for child in field.fields)
    averages = scheme.national_averages
    hazards = []
    for hazard in scheme.hazards:
        help_parts = []
        if hazard.vulnerable_group:
            help_parts.append(f"Vulnerable group: {hazard.vulnerable_group}.")
        hazards.append(
            Field(
                id=hazard.key,
                type="group",
                label=f"{hazard.number}. {hazard.name}",
                help=" ".join(help_parts),
                fields=template,
                meta={
                    "hhsrs_hazard": hazard.key,
                    "number": hazard.number,
                    "hazard_group": hazard.group or "Hazards",
                    "vulnerable_group": hazard.vulnerable_group,
                    "national_average": averages.get(hazard.key),
                    "scheme": scheme,
                },
            )
        )
    return replace(
        field,
        type="group",
        fields=tuple(hazards),
        scheme_date=None,
        meta={
            "hhsrs": True,
            "scheme": scheme,
            "scheme_id": scheme.id,
            "scheme_name": scheme.name,
            "hazards_confirmed": scheme.hazards_confirmed,
            "unknown_tables": tuple(scheme.unknown_tables),
            "groups": hazard_groups(scheme),
        },
    )


def hazard_groups(scheme: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``((group name, (hazard keys...)), ...)`` in file order, for headings in the renderer."""
    order: dict[str, list[str]] = {}
    for hazard in scheme.hazards:
        order.setdefault(hazard.group or "Hazards", []).append(hazard.key)
    return tuple((name, tuple(keys)) for name, keys in order.items())


def has_hhsrs(form: Form) -> bool:
    return any(f.type == "hhsrs_hazards" for _, f in form.top_fields())


def expand(form: Form, answers: Mapping[str, Any], scheme: Any | None = None) -> Form:
    """``form`` with each ``hhsrs_hazards`` field expanded for the inspection date in ``answers``
    (or for ``scheme`` when given). A form without one comes back unchanged."""
    if not has_hhsrs(form):
        return form
    sections = []
    for section in form.sections:
        fields = []
        for f in section.fields:
            if f.type == "hhsrs_hazards":
                chosen, pending = scheme, PENDING
                if chosen is None:
                    when = inspection_date(form, f, answers)
                    try:
                        chosen = scheme_for_date(when) if when else None
                    except (LookupError, ValueError) as exc:  # no scheme for that date
                        pending = str(exc)
                fields.append(expand_field(f, chosen, pending))
            else:
                fields.append(f)
        sections.append(Section(section.id, section.title, tuple(fields), section.help, section.relevant))
    return replace(form, sections=tuple(sections))
