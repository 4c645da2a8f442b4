"""Consent to share information (policy 5.3), worded as the application form words it."""

from __future__ import annotations

from reportlab.platypus import Flowable

from heart_desktop.documents.common import signature_boxes
from heart_desktop.documents.formtext import form_definition
from heart_desktop.documents.model import PackData
from heart_desktop.documents.styles import styles
from heart_desktop.documents.template import kv_table, para

KEY = "consent"
TITLE = "Consent to share information"
FORM = "application_details"


def story(data: PackData) -> list[Flowable]:
    s = styles()
    form = form_definition(FORM)
    note = form.field("data_sharing_note") if form else None
    answers = data.forms.get(FORM, {})
    given = answers.get("consent_to_share")
    out: list[Flowable] = [para(TITLE, s.title), para("How your information is used (policy 5.3)", s.h2)]
    if note is not None:
        out.append(para(" ".join(note.help.split())))
    out.append(kv_table([("Consent to share information as described",
                          "Yes" if given is True else "No" if given is False else None)]))
    out.append(para("I consent to my information being shared as described above.", s.h3))
    out += signature_boxes(data, ("applicant", "representative"), note="(only if signing on the applicant's behalf)")
    return out
