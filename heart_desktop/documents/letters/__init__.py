"""The customer letters (issue 18): one module per kind, each a data model made from the case's
facts and the wording of ``resources/policy/letters.toml``, rendered by ``layout`` with the pack's
tagged-PDF renderer. ``KINDS`` is the registry the service, the verb and the Documents tab use.

A letter kind is a module with ``KIND``, ``TITLE``, ``refusal(facts, options) -> str | None`` (why the case
cannot have it yet) and ``compose(facts, options) -> LetterData``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType
from typing import Any

from heart_desktop.documents.letters import (
    acknowledgement,
    appeal_hearing,
    appeal_received,
    appeal_senior,
    appeal_supervisors,
    completion,
    decision,
    reminder,
    visit,
)
from heart_desktop.documents.letters.compose import LetterRefused
from heart_desktop.documents.letters.facts import CaseFacts
from heart_desktop.documents.letters.model import LetterData

MODULES: tuple[ModuleType, ...] = (acknowledgement, visit, decision, completion, reminder, appeal_received,
                                   appeal_supervisors, appeal_hearing, appeal_senior)
KINDS: dict[str, ModuleType] = {m.KIND: m for m in MODULES}
DOCUMENT_PREFIX = "letter_"  # a letter's kind in the documents table: letter_<kind>


def module(kind: str) -> ModuleType:
    if kind not in KINDS:
        raise LetterRefused(f"unknown letter {kind!r}; use one of {', '.join(KINDS)}")
    return KINDS[kind]


def refusal(facts: CaseFacts, kind: str, options: Mapping[str, Any] | None = None) -> str | None:
    return module(kind).refusal(facts, options)


def compose(facts: CaseFacts, kind: str, options: Mapping[str, Any] | None = None) -> LetterData:
    """The letter's data, or ``LetterRefused`` saying why the case cannot have it yet."""
    chosen = module(kind)
    why = chosen.refusal(facts, options)
    if why:
        raise LetterRefused(f"case {facts.reference} cannot have the {chosen.TITLE.lower()} yet: {why}")
    return chosen.compose(facts, options or {})


__all__ = ["DOCUMENT_PREFIX", "KINDS", "LetterRefused", "compose", "module", "refusal"]
