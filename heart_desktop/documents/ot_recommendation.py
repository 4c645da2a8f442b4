"""Occupational therapy recommendation summary: the assessment, daily living, the adaptations
recommended as necessary and appropriate (4.1.6) and their urgency."""

from __future__ import annotations

from reportlab.platypus import Flowable

from heart_desktop.documents.formtext import form_story
from heart_desktop.documents.model import PackData
from heart_desktop.documents.styles import styles
from heart_desktop.documents.template import kv_table, para

KEY = "ot"
TITLE = "OT recommendation summary"
FORM = "ot_needs_assessment"


def story(data: PackData) -> list[Flowable]:
    s = styles()
    answers = data.forms.get(FORM)
    if not answers:
        return [para(TITLE, s.title),
                para("No occupational therapy assessment has been recorded. A DFG needs the welfare authority to "
                     "find the works necessary and appropriate (policy 4.1.6)."),
                kv_table([("Occupational therapist", None), ("Date of assessment", None), ("Recommendation", None)])]
    return [para(TITLE, s.title), *form_story(FORM, answers, data.as_at)]
