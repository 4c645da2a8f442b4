"""Consent to share information (policy 5.3), worded as the application form words it."""

from __future__ import annotations

from heart_desktop.documents.common import signature_boxes
from heart_desktop.documents.formtext import form_definition
from heart_desktop.documents.model import PackData
from heart_desktop.documents.render import Safe, join
from heart_desktop.documents.template import heading, kv_table, para, title

KEY = "consent"
TITLE = "Consent to share information"
FORM = "application_details"


def story(data: PackData) -> Safe:
    form = form_definition(FORM)
    field = form.field("data_sharing_note") if form else None
    answers = data.forms.get(FORM, {})
    given = answers.get("consent_to_share")
    out = [title(TITLE), heading("How your information is used (policy 5.3)")]
    if field is not None:
        out.append(para(" ".join(field.help.split())))
    out.append(kv_table([("Consent to share information as described",
                          "Yes" if given is True else "No" if given is False else None)]))
    out.append(heading("I consent to my information being shared as described above.", 3))
    out.append(signature_boxes(data, ("applicant", "representative"),
                               note="(only if signing on the applicant's behalf)"))
    return join(out)
