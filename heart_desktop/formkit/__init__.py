"""Declarative form definitions: loading and checking ``forms/*.yaml``, and the Qt-free engine
that says what is shown, missing and invalid. Never imports Qt (the renderer lives in ``ui``)."""

from heart_desktop.formkit import means_fields  # noqa: F401  (registers means_test.weekly)
from heart_desktop.formkit.computations import ComputeContext, Computed
from heart_desktop.formkit.definitions import FIELD_TYPES, Choice, Field, Form, Section
from heart_desktop.formkit.engine import FormEngine, FormState, Problem, can_complete, get_answer, set_answer
from heart_desktop.formkit.expressions import Expression, ExpressionError, evaluate, parse
from heart_desktop.formkit.hhsrs_fields import expand
from heart_desktop.formkit.loader import FormDefinitionError, check_all_forms, load_form
from heart_desktop.formkit.values import money_pence, normalise_money

__all__ = [
    "FIELD_TYPES",
    "Choice",
    "ComputeContext",
    "Computed",
    "Expression",
    "ExpressionError",
    "Field",
    "Form",
    "FormDefinitionError",
    "FormEngine",
    "FormState",
    "Problem",
    "Section",
    "can_complete",
    "check_all_forms",
    "evaluate",
    "expand",
    "get_answer",
    "load_form",
    "money_pence",
    "normalise_money",
    "parse",
    "set_answer",
]
