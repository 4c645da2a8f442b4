"""Home safety check record: each area checked, what was found and the works agreed."""

from __future__ import annotations

from reportlab.platypus import Flowable

from heart_desktop.documents.formtext import form_story
from heart_desktop.documents.model import PackData
from heart_desktop.documents.styles import styles
from heart_desktop.documents.template import kv_table, para

KEY = "safety"
TITLE = "Home safety check record"
FORM = "home_safety_check"


def story(data: PackData) -> list[Flowable]:
    s = styles()
    answers = data.forms.get(FORM)
    if not answers:
        return [para(TITLE, s.title), para("No home safety check has been recorded for this case."),
                kv_table([("Date of the check", None), ("Checked by", None)])]
    return [para(TITLE, s.title), *form_story(FORM, answers, data.as_at)]
