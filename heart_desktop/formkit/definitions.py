"""What a form definition is, once loaded: plain frozen dataclasses, no Qt and no I/O.

Data rules (``required``, ``relevant``, ``constraint``, ``calculate``, ``validate``) are kept apart
from presentation (``appearance``, ``help``), as in XLSForm, so the engine and the renderer can each
read only what they need.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

# Every field type a definition may use. Containers hold child ``fields``.
FIELD_TYPES: tuple[str, ...] = (
    "text",
    "number",
    "money",
    "date",
    "choice",
    "multi_choice",
    "yes_no",
    "repeat",
    "group",
    "photo",
    "signature",
    "note",
    "calculate",
    "computed",
    "hhsrs_hazards",
)
CONTAINER_TYPES: frozenset[str] = frozenset({"repeat", "group", "hhsrs_hazards"})
CHOICE_TYPES: frozenset[str] = frozenset({"choice", "multi_choice"})
# Types that never hold an officer's answer (display or derived only).
NO_ANSWER_TYPES: frozenset[str] = frozenset({"note", "calculate", "computed"})
VALUE_TYPES: tuple[str, ...] = ("number", "money", "text", "date", "yes_no")


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    help: str = ""


@dataclass(frozen=True)
class Field:
    """One question (or container of questions). ``required`` is a bool or an expression."""

    id: str
    type: str
    label: str
    help: str = ""
    required: bool | str = False
    relevant: str | None = None
    constraint: str | None = None
    constraint_message: str | None = None
    choices: tuple[Choice, ...] = ()
    choices_from: str | None = None
    min: float | None = None
    max: float | None = None
    integer: bool = False
    fields: tuple[Field, ...] = ()
    calculate: str | None = None
    compute: str | None = None
    value_type: str | None = None
    validate: str | None = None
    appearance: str | None = None
    unit: str | None = None
    scheme_date: str | None = None
    meta: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def is_container(self) -> bool:
        return self.type in CONTAINER_TYPES

    @property
    def takes_answer(self) -> bool:
        return self.type not in NO_ANSWER_TYPES

    def child(self, field_id: str) -> Field | None:
        return next((f for f in self.fields if f.id == field_id), None)

    def choice_label(self, value: str) -> str | None:
        return next((c.label for c in self.choices if c.value == value), None)


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    fields: tuple[Field, ...]
    help: str = ""
    relevant: str | None = None


@dataclass(frozen=True)
class Form:
    """A whole form; ``source`` is the file it came from, for error messages and audit."""

    id: str
    version: str
    title: str
    sections: tuple[Section, ...]
    description: str = ""
    source: str = ""
    roles: tuple[str, ...] = ()

    def top_fields(self) -> Iterator[tuple[Section, Field]]:
        for section in self.sections:
            for f in section.fields:
                yield section, f

    def field(self, field_id: str) -> Field | None:
        """A top-level field by id, or a child by ``container/child`` path."""
        head, _, rest = field_id.partition("/")
        found = next((f for _, f in self.top_fields() if f.id == head), None)
        while found is not None and rest:
            head, _, rest = rest.partition("/")
            found = found.child(head)
        return found

    def walk(self) -> Iterator[tuple[str, Field]]:
        """Every field with its path (``household/date_of_birth``), depth first."""

        def visit(prefix: str, fields: tuple[Field, ...]) -> Iterator[tuple[str, Field]]:
            for f in fields:
                path = f"{prefix}{f.id}"
                yield path, f
                yield from visit(f"{path}/", f.fields)

        for section in self.sections:
            yield from visit("", section.fields)
