"""Application for assistance: the application details form, prefilled, and the declaration."""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether

from heart_desktop.documents.common import TENURE_LABELS, address, day, person_name, signature_boxes
from heart_desktop.documents.formtext import form_story
from heart_desktop.documents.model import PackData
from heart_desktop.documents.styles import styles
from heart_desktop.documents.template import kv_table, para
from heart_desktop.domain.conditions import declaration

KEY = "application"
TITLE = "Application for assistance"
FORM = "application_details"


def story(data: PackData) -> list[Flowable]:
    s = styles()
    applicant = data.applicant
    disabled = data.disabled_person
    answers = data.forms.get(FORM, {})
    out: list[Flowable] = [para(TITLE, s.title), para("Case details", s.h2), kv_table([
        ("Applicant", person_name(applicant) or answers.get("applicant_name")),
        ("Date of birth", day(applicant.get("date_of_birth")) if applicant else None),
        ("National Insurance number", (applicant or {}).get("ni_number") or answers.get("applicant_ni_number")),
        ("Address of the property", address(data)),
        ("Phone", (applicant or {}).get("phone") or answers.get("phone")),
        ("Disabled person", person_name(disabled)),
        ("Tenure", TENURE_LABELS.get(str(data.tenure), data.tenure)),
    ])]
    if answers:
        out += form_story(FORM, answers, data.as_at, skip={"applicant_signature", "declaration_date"},
                          sections={"disabled_person", "household", "tenure", "benefits"})
    else:
        out.append(para("The application details form has not been filled in yet: complete the details "
                        "above by hand.", s.small))
    text, section = declaration()
    # the declaration and its signatures stay on one page: nobody signs under a page break
    out.append(KeepTogether([para("Declaration", s.h2), para(text), para(f"(policy {section})", s.small),
                             *signature_boxes(data, ("applicant", "representative", "officer"),
                                              note="(only if signing on the applicant's behalf)")]))
    return out
