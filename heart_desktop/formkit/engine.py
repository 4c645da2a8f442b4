"""The form engine: given a form and its answers, what is shown, what is missing, what is wrong.

Pure Python over plain JSON-able answers (conventions in :mod:`heart_desktop.formkit.values`), so
the Qt renderer, the CLI, the PDF builder and the tests all get the same verdicts. The officer can
save a half-filled form at any time; only :meth:`FormEngine.can_complete` refuses, naming each
missing or invalid answer.

Paths name answers: ``tenure``, ``household/0/date_of_birth`` (row 0 of a repeat),
``hazards/excess_cold/likelihood`` (a group's child).

Rules in expressions see raw answers, including those of hidden fields; the engine only skips
hidden fields when it checks for missing and invalid answers.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from heart_desktop.formkit import validators
from heart_desktop.formkit.computations import ComputeContext, Computed, compute
from heart_desktop.formkit.definitions import Field, Form
from heart_desktop.formkit.expressions import ExpressionError, parse, truthy
from heart_desktop.formkit.hhsrs_fields import expand
from heart_desktop.formkit.values import check_value, is_blank, to_expression_value


@dataclass(frozen=True)
class Problem:
    """One reason a form cannot be completed, at the field (``path``) it belongs to."""

    path: str
    field_id: str
    label: str
    kind: Literal["missing", "invalid"]
    message: str

    def __str__(self) -> str:
        return f"{self.label}: {self.message}"


@dataclass
class FormState:
    """Everything the renderer needs after one change, worked out in one pass."""

    form: Form
    shown: dict[str, bool] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    calculated: dict[str, Any] = field(default_factory=dict)
    computed: dict[str, Computed] = field(default_factory=dict)
    missing: list[Problem] = field(default_factory=list)
    invalid: list[Problem] = field(default_factory=list)
    # Answers no field asks for any more (a newer form version, or an inspection date moved into
    # another HHSRS scheme): kept, never checked, listed so the renderer can warn before saving.
    stale: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        return [*self.missing, *self.invalid]

    @property
    def complete(self) -> bool:
        return not self.missing and not self.invalid

    def problem_at(self, path: str) -> Problem | None:
        return next((p for p in self.problems if p.path == path), None)


class _Scope:
    """The fields and answers at one level (the form, a repeat row, a group), and its parent."""

    def __init__(
        self,
        fields: tuple[Field, ...],
        values: Mapping[str, Any],
        parent: _Scope | None,
        container: Field | None,
        engine: _Run,
    ) -> None:
        self.fields = {f.id: f for f in fields}
        self.values = values if isinstance(values, Mapping) else {}
        self.parent = parent
        self.container = container
        self.run = engine
        self._calculating: set[str] = set()
        self._calculated: dict[str, Any] = {}

    def resolve(self, ref: str) -> Any:
        head, _, rest = ref.partition("/")
        scope: _Scope | None = self
        while scope is not None:
            found = scope.fields.get(head)
            if found is not None:
                return scope.value_of(found, rest)
            scope = scope.parent
        return None

    def value_of(self, f: Field, rest: str = "") -> Any:
        raw = self.calculate(f) if f.type == "calculate" else self.values.get(f.id)
        if not rest:
            return raw if f.type == "calculate" else to_expression_value(f, raw)
        head, _, deeper = rest.partition("/")
        child = f.child(head)
        if child is None:
            return None
        if f.type == "repeat":
            rows = raw if isinstance(raw, list) else []
            return [_Scope(f.fields, row, self, f, self.run).value_of(child, deeper) for row in rows]
        return _Scope(f.fields, raw if isinstance(raw, Mapping) else {}, self, f, self.run).value_of(child, deeper)

    def calculate(self, f: Field) -> Any:
        if f.id in self._calculated:
            return self._calculated[f.id]
        if f.id in self._calculating:  # the loader refuses cycles; never loop regardless
            return None
        self._calculating.add(f.id)
        try:
            value = self.evaluate(f.calculate or "")
        finally:
            self._calculating.discard(f.id)
        self._calculated[f.id] = value
        return value

    def evaluate(self, source: str, current: Any = None) -> Any:
        try:
            return parse(source).evaluate(self.resolve, current, self.run.today)
        except (ExpressionError, ArithmeticError, TypeError):
            return None


class _Run:
    def __init__(self, form: Form, answers: Mapping[str, Any], today: date, context: Mapping[str, Any]) -> None:
        self.form = form
        self.answers = answers
        self.today = today
        self.context = context
        self.state = FormState(form)

    def go(self) -> FormState:
        top = _Scope(tuple(f for _, f in self.form.top_fields()), self.answers, None, None, self)
        self.note_stale(top, "")
        for section in self.form.sections:
            shown = section.relevant is None or truthy(top.evaluate(section.relevant))
            self.visit(section.fields, top, "", shown)
        return self.state

    def note_stale(self, scope: _Scope, prefix: str) -> None:
        self.state.stale.extend(f"{prefix}{key}" for key in scope.values if key not in scope.fields)

    def problem(self, kind: Literal["missing", "invalid"], path: str, f: Field, message: str) -> None:
        target = self.state.missing if kind == "missing" else self.state.invalid
        target.append(Problem(path, f.id, f.label, kind, message))

    def visit(self, fields: tuple[Field, ...], scope: _Scope, prefix: str, shown: bool) -> None:
        for f in fields:
            path = prefix + f.id
            visible = shown and (f.relevant is None or truthy(scope.evaluate(f.relevant)))
            self.state.shown[path] = visible
            if not visible:
                continue
            if f.type == "note":
                continue
            if f.type == "calculate":
                self.state.calculated[path] = scope.calculate(f)
                continue
            if f.type == "computed":
                self.state.computed[path] = compute(
                    ComputeContext(self.form, f, path, self.answers, scope.values, scope.container, self.context)
                )
                continue
            value = scope.values.get(f.id)
            required = f.required if isinstance(f.required, bool) else truthy(scope.evaluate(f.required))
            if required:
                self.state.required.add(path)
            if is_blank(value):
                if required:
                    self.problem(
                        "missing", path, f, "an answer is needed" if f.type != "repeat" else "add at least one row"
                    )
                if f.type == "group":
                    self.visit(f.fields, _Scope(f.fields, {}, scope, f, self), f"{path}/", True)
                continue
            self.check(f, path, value, scope)
            if f.type == "repeat" and isinstance(value, list):
                for index, row in enumerate(value):
                    if isinstance(row, Mapping):
                        row_scope = _Scope(f.fields, row, scope, f, self)
                        self.note_stale(row_scope, f"{path}/{index}/")
                        self.visit(f.fields, row_scope, f"{path}/{index}/", True)
            elif f.type == "group" and isinstance(value, Mapping):
                group_scope = _Scope(f.fields, value, scope, f, self)
                self.note_stale(group_scope, f"{path}/")
                self.visit(f.fields, group_scope, f"{path}/", True)

    def check(self, f: Field, path: str, value: Any, scope: _Scope) -> None:
        problem = check_value(f, value, self.today)
        if problem is None and f.validate:
            problem = validators.run(f.validate, value, self.today)
        if problem is None and f.constraint:
            ok = scope.evaluate(f.constraint, to_expression_value(f, value))
            if not truthy(ok):
                problem = f.constraint_message or f"does not meet the rule {f.constraint}"
        if problem is not None:
            self.problem("invalid", path, f, problem)


class FormEngine:
    """Evaluates one form. ``context`` supplies case-level computations by name (for example
    ``assistance.hsg_allowance_left``); ``today`` is fixed in tests."""

    def __init__(self, form: Form, *, today: date | None = None, context: Mapping[str, Any] | None = None) -> None:
        self.form = form
        self.today = today
        self.context = dict(context or {})

    def expanded(self, answers: Mapping[str, Any]) -> Form:
        """The form as it is shown for these answers (HHSRS hazards of the scheme in force)."""
        return expand(self.form, answers)

    def evaluate(self, answers: Mapping[str, Any]) -> FormState:
        return _Run(self.expanded(answers), answers, self.today or date.today(), self.context).go()

    def shown(self, answers: Mapping[str, Any]) -> dict[str, bool]:
        return self.evaluate(answers).shown

    def missing(self, answers: Mapping[str, Any]) -> list[Problem]:
        return self.evaluate(answers).missing

    def invalid(self, answers: Mapping[str, Any]) -> list[Problem]:
        return self.evaluate(answers).invalid

    def calculated(self, answers: Mapping[str, Any]) -> dict[str, Any]:
        return self.evaluate(answers).calculated

    def can_complete(self, answers: Mapping[str, Any]) -> tuple[bool, list[Problem]]:
        """True only when every shown required answer is given and no shown answer is invalid."""
        state = self.evaluate(answers)
        return state.complete, state.problems


def can_complete(form: Form, answers: Mapping[str, Any], today: date | None = None) -> tuple[bool, list[Problem]]:
    return FormEngine(form, today=today).can_complete(answers)


def get_answer(answers: Mapping[str, Any], path: str) -> Any:
    """The answer at ``household/0/date_of_birth`` (None when any step is missing)."""
    node: Any = answers
    for step in path.split("/"):
        if isinstance(node, list):
            try:
                node = node[int(step)]
            except (ValueError, IndexError):
                return None
        elif isinstance(node, Mapping):
            node = node.get(step)
        else:
            return None
    return node


def set_answer(answers: Mapping[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of ``answers`` with ``path`` set, creating groups and rows on the way (for the
    renderer: every edit is a new dict, so undo and "saved" comparison are simple)."""
    result: dict[str, Any] = copy.deepcopy(dict(answers))
    steps = path.split("/")
    node: Any = result
    for step, following in itertools.pairwise(steps):
        nxt = following.isdigit()
        if isinstance(node, list):
            index = int(step)
            while len(node) <= index:
                node.append({})
            node = node[index]
            continue
        if not isinstance(node.get(step), list | dict):
            node[step] = [] if nxt else {}
        node = node[step]
    last = steps[-1]
    if isinstance(node, list):
        index = int(last)
        while len(node) <= index:
            node.append({})
        node[index] = value
    else:
        node[last] = value
    return result
