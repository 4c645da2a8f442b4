"""Home safety check record: each area checked, what was found and the works agreed."""

from __future__ import annotations

from heart_desktop.documents.formtext import form_story
from heart_desktop.documents.model import PackData
from heart_desktop.documents.render import Safe, join
from heart_desktop.documents.template import kv_table, para, title

KEY = "safety"
TITLE = "Home safety check record"
FORM = "home_safety_check"


def story(data: PackData) -> Safe:
    answers = data.forms.get(FORM)
    if not answers:
        return join([title(TITLE), para("No home safety check has been recorded for this case."),
                     kv_table([("Date of the check", None), ("Checked by", None)])])
    return join([title(TITLE), form_story(FORM, answers, data.as_at)])
