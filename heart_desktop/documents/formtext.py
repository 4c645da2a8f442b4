"""A visit form's answers as the reader sees them: one titled table per section.

Generic over ``forms/*.yaml``: labels, choice labels, money and dates come from formkit's
``display``, fields the form hides for these answers (a landlord for an owner) are left out, a
missing answer is a ruled blank, repeats are tables with repeated headers, and signature
answers are drawn as vectors and said in words.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from functools import lru_cache
from typing import Any

from heart_desktop.documents.render import Safe, join
from heart_desktop.documents.template import grid, heading, kv_table, para, signature_block
from heart_desktop.formkit import Field, Form, FormEngine, load_form
from heart_desktop.formkit.values import display, is_blank
from heart_desktop.paths import forms_dir


@lru_cache(maxsize=16)
def form_definition(form_id: str) -> Form | None:
    path = forms_dir() / f"{form_id}.yaml"
    return load_form(path) if path.exists() else None


def _shown(form: Form, answers: Mapping[str, Any], as_at: date) -> dict[str, bool]:
    try:
        return FormEngine(form, today=as_at).shown(answers)
    except Exception:  # a form the engine cannot evaluate still prints every field
        return {}


def _repeat(f: Field, rows: list[Any]) -> list[Safe]:
    columns = [c for c in f.fields if c.takes_answer and c.type not in ("photo", "signature")]
    if not columns:
        return []
    body = [[display(c, row.get(c.id)) or "" for c in columns] for row in rows if isinstance(row, Mapping)]
    return [heading(f.label, 3), grid([c.label for c in columns], body)]


def _group(f: Field, value: Mapping[str, Any]) -> tuple[str, str]:
    parts = []
    for child in f.fields:
        shown = display(child, value.get(child.id))
        if shown:
            parts.append(shown if len(f.fields) <= 2 and child is f.fields[0] else f"{child.label}: {shown}")
    return f.label, "; ".join(parts)


def form_story(form_id: str, answers: Mapping[str, Any], as_at: date, sections: Collection[str] | None = None,
               skip: Collection[str] = ()) -> Safe:
    """The form's sections (all, or those named) as HTML; ``skip`` leaves fields out."""
    form = form_definition(form_id)
    if form is None:
        return para(f"The {form_id} form definition is not installed.")
    shown = _shown(form, answers, as_at)
    story: list[Safe] = []
    for section in form.sections:
        if sections is not None and section.id not in sections:
            continue
        rows: list[tuple[str, Any]] = []
        extra: list[Safe] = []
        for f in section.fields:
            if f.id in skip or not shown.get(f.id, True) or f.type in ("note", "hhsrs_hazards"):
                continue
            value = answers.get(f.id)
            if f.type == "repeat":
                if isinstance(value, list) and value:
                    extra += _repeat(f, value)
                else:
                    rows.append((f.label, "Nothing recorded"))
            elif f.type == "group":
                rows.append(_group(f, value if isinstance(value, Mapping) else {}))
            elif f.type == "signature":
                signed = value if isinstance(value, Mapping) else {}
                extra.append(signature_block(f.label, str(signed.get("name") or ""),
                                             str(signed.get("signed_at") or ""), signed.get("strokes") or []))
            elif f.type in ("calculate", "computed"):
                continue
            else:
                rows.append((f.label, None if is_blank(value) else display(f, value)))
        if not rows and not extra:
            continue
        story.append(heading(section.title))
        if rows:
            story.append(kv_table(rows))
        story += extra
    return join(story)
