"""Occupational therapy recommendation summary: the assessment, daily living, the adaptations
recommended as necessary and appropriate (4.1.6) and their urgency."""

from __future__ import annotations

from heart_desktop.documents.formtext import form_story
from heart_desktop.documents.model import PackData
from heart_desktop.documents.render import Safe, join
from heart_desktop.documents.template import kv_table, para, title

KEY = "ot"
TITLE = "OT recommendation summary"
FORM = "ot_needs_assessment"


def story(data: PackData) -> Safe:
    answers = data.forms.get(FORM)
    if not answers:
        return join([title(TITLE),
                     para("No occupational therapy assessment has been recorded. A DFG needs the welfare authority "
                          "to find the works necessary and appropriate (policy 4.1.6)."),
                     kv_table([("Occupational therapist", None), ("Date of assessment", None),
                               ("Recommendation", None)])])
    return join([title(TITLE), form_story(FORM, answers, data.as_at)])
