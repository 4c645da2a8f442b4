"""Load ``forms/*.yaml`` and refuse a bad definition with a message naming file, field and problem.

Two passes: the JSON Schema (``forms/form.schema.json``) checks the shape; then the checks a schema
cannot express: ids unique in their container, expressions that parse and name fields that exist
where they are used, choices for choice fields, a known validator, no calculation that depends on
itself. The app runs :func:`check_all_forms` at start, so a broken edit is caught before an officer
opens the form at a kitchen table.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from heart_desktop.formkit import validators
from heart_desktop.formkit.definitions import (
    CHOICE_TYPES,
    CONTAINER_TYPES,
    FIELD_TYPES,
    Choice,
    Field,
    Form,
    Section,
)
from heart_desktop.formkit.expressions import ExpressionError, parse

SCHEMA_FILE = "form.schema.json"


class FormDefinitionError(ValueError):
    """A definition that cannot be used. ``str()`` reads ``<file>: field '<id>': <problem>``."""

    def __init__(
        self,
        source: str,
        field: str | None,
        problem: str,
        *,
        field_path: str | None = None,
        problems: Sequence[str] = (),
    ) -> None:
        where = f"{source}: field '{field}': " if field else f"{source}: "
        super().__init__(where + problem)
        self.source = source
        self.field = field
        self.field_path = field_path or field
        self.problem = problem
        self.problems = tuple(problems) or (where + problem,)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@lru_cache(maxsize=4)
def _validator(schema_path: str) -> jsonschema.Draft202012Validator:
    schema = json.loads(Path(schema_path).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def default_schema_path() -> Path:
    from heart_desktop.paths import forms_dir

    return forms_dir() / SCHEMA_FILE


# ---------------------------------------------------------------- schema pass


def _field_at(data: Any, path: Sequence[Any]) -> tuple[str | None, str | None, str]:
    """The innermost field along a JSON path: (its id, its path of ids, a prefix such as
    "choice 2: " or "section 'x': " for what sits below or outside the field)."""
    node = data
    field_ids: list[str] = []
    prefix = ""
    previous: Any = None
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(step, int) and isinstance(node, Mapping):
            ident = node.get("id")
            name = str(ident) if isinstance(ident, str) else f"#{step + 1}"
            if previous == "fields":
                field_ids.append(name)
                prefix = ""
            elif previous == "sections":
                prefix = f"section '{name}': "
            elif previous == "choices":
                prefix = f"choice {step + 1}: "
        previous = step
    if not field_ids:
        return None, None, prefix
    return field_ids[-1], "/".join(field_ids), prefix


def _schema_message(error: jsonschema.ValidationError) -> str:
    key = next((str(p) for p in reversed(error.absolute_path) if isinstance(p, str)), None)
    instance = error.instance
    if error.validator == "enum" and key == "type":
        return f"unknown type {instance!r} (allowed: {', '.join(FIELD_TYPES)})"
    if error.validator == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value)
        return f"{key}: {instance!r} is not allowed (allowed: {allowed})"
    if error.validator == "required":
        missing = [name for name in error.validator_value if name not in (instance or {})]
        return f"missing {', '.join(repr(m) for m in missing)}"
    if error.validator == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        extra = sorted(set(instance) - known)
        return f"unknown key {', '.join(repr(e) for e in extra)} (allowed: {', '.join(sorted(known))})"
    if error.validator == "pattern" and key in ("id", "scheme_date"):
        return f"{key} {instance!r} must be lower-case letters, digits and _, starting with a letter"
    if error.validator == "pattern" and key == "version":
        return f"version {instance!r} must look like '1' or '1.2' (quote it in YAML)"
    if error.validator == "type":
        return f"{key or 'value'}: {instance!r} should be {error.validator_value}" + (
            " (quote it in YAML)" if error.validator_value == "string" else ""
        )
    if error.validator == "oneOf" and key == "required":
        return f"required: {instance!r} must be true, false or an expression"
    if error.validator in ("minItems", "minLength"):
        return f"{key}: must not be empty"
    return f"{key + ': ' if key else ''}{error.message}"


def _schema_problems(data: Any, source: str, schema_path: Path) -> None:
    errors = sorted(
        _validator(str(schema_path)).iter_errors(data),
        key=lambda e: (list(map(str, e.absolute_path)), e.validator != "enum"),
    )
    if not errors:
        return
    problems = []
    first: tuple[str | None, str | None, str] | None = None
    for error in errors:
        leaf, path, prefix = _field_at(data, list(error.absolute_path))
        message = prefix + _schema_message(error)
        problems.append(f"{source}: field '{leaf}': {message}" if leaf else f"{source}: {message}")
        if first is None:
            first = (leaf, path, message)
    assert first is not None
    raise FormDefinitionError(source, first[0], first[2], field_path=first[1], problems=problems)


# ---------------------------------------------------------------- build


def _build_field(raw: Mapping[str, Any]) -> Field:
    return Field(
        id=raw["id"],
        type=raw["type"],
        label=raw["label"],
        help=raw.get("help", ""),
        required=raw.get("required", False),
        relevant=raw.get("relevant"),
        constraint=raw.get("constraint"),
        constraint_message=raw.get("constraint_message"),
        choices=tuple(Choice(c["value"], c["label"], c.get("help", "")) for c in raw.get("choices", ())),
        choices_from=raw.get("choices_from"),
        min=raw.get("min"),
        max=raw.get("max"),
        integer=bool(raw.get("integer", False)),
        fields=tuple(_build_field(child) for child in raw.get("fields", ())),
        calculate=raw.get("calculate"),
        compute=raw.get("compute"),
        value_type=raw.get("value_type"),
        validate=raw.get("validate"),
        appearance=raw.get("appearance"),
        unit=raw.get("unit"),
        scheme_date=raw.get("scheme_date"),
    )


def build_form(data: Mapping[str, Any], source: str = "") -> Form:
    return Form(
        id=data["id"],
        version=data["version"],
        title=data["title"],
        description=data.get("description", ""),
        roles=tuple(data.get("roles", ())),
        source=source,
        sections=tuple(
            Section(
                id=s["id"],
                title=s["title"],
                help=s.get("help", ""),
                relevant=s.get("relevant"),
                fields=tuple(_build_field(f) for f in s["fields"]),
            )
            for s in data["sections"]
        ),
    )


# ---------------------------------------------------------------- semantic pass


class _Checker:
    def __init__(self, form: Form, source: str) -> None:
        self.form = form
        self.source = source
        self.top = {f.id: f for _, f in form.top_fields()}

    def fail(self, path: str | None, problem: str) -> FormDefinitionError:
        leaf = path.rsplit("/", 1)[-1] if path else None
        return FormDefinitionError(self.source, leaf, problem, field_path=path)

    def run(self) -> None:
        seen_sections: set[str] = set()
        seen_fields: dict[str, str] = {}
        for section in self.form.sections:
            if section.id in seen_sections:
                raise FormDefinitionError(self.source, None, f"section '{section.id}': the id is used twice")
            seen_sections.add(section.id)
            for f in section.fields:
                if f.id in seen_fields:
                    raise self.fail(f.id, f"the id is used twice (also in section '{seen_fields[f.id]}')")
                seen_fields[f.id] = section.id
            if section.relevant:
                self.expression(None, "relevant", section.relevant, (), f"section '{section.id}'")
        for section in self.form.sections:
            self.fields(section.fields, ())
        self.calculation_cycles()

    def fields(self, fields: tuple[Field, ...], chain: tuple[Field, ...]) -> None:
        prefix = "".join(f"{c.id}/" for c in chain)
        if chain:
            ids = [f.id for f in fields]
            for ident in ids:
                if ids.count(ident) > 1:
                    raise self.fail(prefix + ident, f"the id is used twice in '{chain[-1].id}'")
        for f in fields:
            self.field(f, chain, prefix + f.id)
            if f.fields:
                self.fields(f.fields, (*chain, f))

    def field(self, f: Field, chain: tuple[Field, ...], path: str) -> None:
        if f.type in CHOICE_TYPES:
            if not f.choices and not f.choices_from:
                raise self.fail(path, f"a {f.type} field needs 'choices' (or 'choices_from')")
            if f.choices and f.choices_from:
                raise self.fail(path, "give 'choices' or 'choices_from', not both")
            values = [c.value for c in f.choices]
            duplicates = sorted({v for v in values if values.count(v) > 1})
            if duplicates:
                raise self.fail(path, f"choice value {duplicates[0]!r} is listed twice")
        elif f.choices or f.choices_from:
            raise self.fail(path, f"'choices' only belong on choice and multi_choice fields, not {f.type}")
        if f.choices_from and not any(c.type == "hhsrs_hazards" for c in chain):
            raise self.fail(path, "'choices_from' the HHSRS scheme only works inside an hhsrs_hazards field")
        if f.type in CONTAINER_TYPES and not f.fields:
            raise self.fail(path, f"a {f.type} field needs child 'fields'")
        if f.type not in CONTAINER_TYPES and f.fields:
            raise self.fail(path, f"only repeat, group and hhsrs_hazards fields have child 'fields', not {f.type}")
        if f.type == "calculate" and not f.calculate:
            raise self.fail(path, "a calculate field needs a 'calculate' expression")
        if f.calculate and f.type != "calculate":
            raise self.fail(path, f"'calculate' belongs on a calculate field, not {f.type}")
        if f.type == "computed" and not f.compute:
            raise self.fail(path, "a computed field needs 'compute' (the domain computation's name)")
        if f.compute and f.type != "computed":
            raise self.fail(path, f"'compute' belongs on a computed field, not {f.type}")
        if f.type == "hhsrs_hazards":
            if chain:
                raise self.fail(path, "an hhsrs_hazards field must be at the top level of a section")
            date_field = self.top.get(f.scheme_date or "")
            if date_field is None or date_field.type != "date":
                raise self.fail(path, f"'scheme_date' must name a top-level date field (given {f.scheme_date!r})")
        elif f.scheme_date:
            raise self.fail(path, "'scheme_date' belongs on an hhsrs_hazards field")
        if f.min is not None and f.max is not None and f.min > f.max:
            raise self.fail(path, f"min {f.min} is more than max {f.max}")
        if f.validate and validators.get(f.validate) is None:
            raise self.fail(path, f"unknown validator {f.validate!r} (known: {', '.join(validators.names())})")
        if f.constraint_message and not f.constraint:
            raise self.fail(path, "'constraint_message' without a 'constraint'")
        if isinstance(f.required, str):
            self.expression(path, "required", f.required, chain)
        for key in ("relevant", "constraint", "calculate"):
            text = getattr(f, key)
            if text:
                self.expression(path, key, text, chain, allow_current=key == "constraint")

    def expression(
        self,
        path: str | None,
        key: str,
        text: str,
        chain: tuple[Field, ...],
        where: str | None = None,
        *,
        allow_current: bool = False,
    ) -> None:
        def problem(message: str) -> FormDefinitionError:
            if where:
                return FormDefinitionError(self.source, None, f"{where}: {key}: {message}")
            return self.fail(path, f"{key}: {message}")

        try:
            parsed = parse(text)
        except ExpressionError as exc:
            raise problem(f"{exc} in {text!r}") from None
        if parsed.uses_current and not allow_current:
            raise problem(f"'.' (this field's value) only works in a constraint, in {text!r}")
        for ref in sorted(parsed.refs):
            if resolve_field(self.form, chain, ref) is None:
                raise problem(f"refers to ${{{ref}}}, which is not a field here, in {text!r}")

    def calculation_cycles(self) -> None:
        calcs: dict[int, tuple[str, Field, tuple[Field, ...]]] = {}

        def visit(prefix: str, fields: tuple[Field, ...], chain: tuple[Field, ...]) -> None:
            for f in fields:
                if f.type == "calculate":
                    calcs[id(f)] = (prefix + f.id, f, chain)
                visit(f"{prefix}{f.id}/", f.fields, (*chain, f))

        for section in self.form.sections:
            visit("", section.fields, ())
        edges: dict[int, set[int]] = {}
        for key, (_, f, chain) in calcs.items():
            targets = (resolve_field(self.form, chain, ref) for ref in parse(f.calculate or "").refs)
            edges[key] = {id(t) for t in targets if t is not None and id(t) in calcs}
        for start, (path, _, _) in calcs.items():
            stack, seen = list(edges[start]), set()
            while stack:
                node = stack.pop()
                if node == start:
                    raise self.fail(path, "calculate: depends on itself")
                if node not in seen:
                    seen.add(node)
                    stack.extend(edges[node])


def resolve_field(form: Form, chain: Sequence[Field], ref: str) -> Field | None:
    """The field ``${ref}`` means from inside the containers ``chain``: the innermost sibling of
    that name wins, then the enclosing levels, then the top of the form. ``a/b`` names child ``b`` of
    container ``a`` found the same way (used to total a repeat's column from outside it)."""
    head, _, rest = ref.partition("/")
    levels: list[Iterable[Field]] = [c.fields for c in reversed(chain)]
    levels.append([f for _, f in form.top_fields()])
    for level in levels:
        found = next((f for f in level if f.id == head), None)
        if found is not None:
            while rest:
                part, _, rest = rest.partition("/")
                found = found.child(part)
                if found is None:
                    return None
            return found
    return None


# ---------------------------------------------------------------- entry points


def load_form(path: Path | str, schema_path: Path | str | None = None) -> Form:
    """Read, schema-check and semantically check one definition file."""
    file = Path(path)
    source = _display(file)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise FormDefinitionError(source, None, f"cannot be read ({exc.strerror or exc})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise FormDefinitionError(source, None, f"is not valid YAML{where}: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(data, Mapping):
        raise FormDefinitionError(source, None, "must be a mapping with id, version, title and sections")
    _schema_problems(data, source, Path(schema_path) if schema_path else default_schema_path())
    form = build_form(data, source)
    _Checker(form, source).run()
    return form


def check_all_forms(forms_dir: Path | str | None = None) -> list[Form]:
    """Load every ``*.yaml`` in the forms folder (the app calls this at start); raise on the first
    bad one, and refuse two files with the same form id."""
    from heart_desktop.paths import forms_dir as default_forms_dir

    folder = Path(forms_dir) if forms_dir else default_forms_dir()
    schema_path = folder / SCHEMA_FILE
    if not schema_path.exists():
        schema_path = default_schema_path()
    forms: list[Form] = []
    by_id: dict[str, str] = {}
    files = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])
    if not files:
        raise FormDefinitionError(_display(folder), None, "holds no form definitions (*.yaml)")
    for file in files:
        form = load_form(file, schema_path)
        if form.id in by_id:
            raise FormDefinitionError(form.source, None, f"form id '{form.id}' is also used by {by_id[form.id]}")
        by_id[form.id] = form.source
        forms.append(form)
    return forms
