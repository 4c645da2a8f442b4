"""Application for assistance: the application details form, prefilled, and the declaration."""

from __future__ import annotations

from heart_desktop.documents.common import TENURE_LABELS, address, day, person_name, signature_boxes
from heart_desktop.documents.formtext import form_story
from heart_desktop.documents.model import PackData
from heart_desktop.documents.render import Safe, h, join
from heart_desktop.documents.template import heading, keep, kv_table, note, para, title
from heart_desktop.domain.conditions import declaration

KEY = "application"
TITLE = "Application for assistance"
FORM = "application_details"


def story(data: PackData) -> Safe:
    applicant = data.applicant
    disabled = data.disabled_person
    answers = data.forms.get(FORM, {})
    out = [title(TITLE), heading("Case details"), kv_table([
        ("Applicant", person_name(applicant) or answers.get("applicant_name")),
        ("Date of birth", day(applicant.get("date_of_birth")) if applicant else None),
        ("National Insurance number", (applicant or {}).get("ni_number") or answers.get("applicant_ni_number")),
        ("Address of the property", address(data)),
        ("Phone", (applicant or {}).get("phone") or answers.get("phone")),
        ("Disabled person", person_name(disabled)),
        ("Tenure", TENURE_LABELS.get(str(data.tenure), data.tenure)),
    ])]
    if answers:
        out.append(form_story(FORM, answers, data.as_at, skip={"applicant_signature", "declaration_date"},
                              sections={"disabled_person", "household", "tenure", "benefits"}))
    else:
        out.append(note("The application details form has not been filled in yet: complete the details "
                        "above by hand."))
    text, section = declaration()
    # the declaration and its signatures start on one page where they fit: nobody signs under a page break
    out.append(h("div", keep(heading("Declaration"), para(text), note(f"(policy {section})")),
                 signature_boxes(data, ("applicant", "representative", "officer"),
                                 note="(only if signing on the applicant's behalf)"), class_="declaration"))
    return join(out)
