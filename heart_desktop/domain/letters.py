"""The wording of the customer letters, read from ``resources/policy/letters.toml``, and filling it in.

Each letter kind has a title, the policy sections it rests on and its parts in order; a part may
be for one fact of the case only (``when``). A part's text names policy rules (``{dfg.completion_months}``,
filled from the policy in force for the case) and values the letter module gives from the case or
the decision (``{complete_by}``). Nothing here reads the store: the documents layer gives the facts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from heart_desktop.domain.conditions import rule_text
from heart_desktop.domain.policy import Policy, PolicyFileError, policy_set, read_toml

LETTERS_FILE = "letters.toml"
_PLACEHOLDER = re.compile(r"\{([a-z0-9_.]+)\}")


@dataclass(frozen=True)
class PartText:
    text: str
    heading: str = ""
    when: str | None = None
    then: str | None = None  # what the letter module puts after this part (a table, a list)


@dataclass(frozen=True)
class LetterText:
    kind: str
    title: str
    section: str
    parts: tuple[PartText, ...]

    def names(self) -> set[str]:
        """The plain (non-policy) names its parts ask for."""
        return {n for p in self.parts for n in _PLACEHOLDER.findall(p.text) if "." not in n}

    def facts(self) -> set[str]:
        return {p.when for p in self.parts if p.when}


@dataclass(frozen=True)
class LettersVersion:
    effective_from: date
    desk_hours: str
    desk_hours_section: str
    reminder_days_before: int
    reminder_section: str
    letters: dict[str, LetterText]
    equipment_words: tuple[str, ...] = ()


def letters_path() -> Path:
    return policy_set().directory / LETTERS_FILE


@lru_cache(maxsize=4)
def _versions(path: Path) -> tuple[LettersVersion, ...]:
    doc = read_toml(path)
    known = set(policy_set().base)
    out = []
    for index, raw in enumerate(doc.get("version") or []):
        where = f"version[{index}]"
        try:
            effective = date.fromisoformat(str(raw["effective_from"]))
        except (KeyError, ValueError):
            raise PolicyFileError(path, where, "effective_from must be a date like 2017-06-30") from None
        letters = {}
        for kind, item in (raw.get("letters") or {}).items():
            if "title" not in item or "section" not in item:
                raise PolicyFileError(path, f"{where}.letters.{kind}", "needs a title and a section")
            parts = []
            for n, part in enumerate(item.get("part") or []):
                if "text" not in part:
                    raise PolicyFileError(path, f"{where}.letters.{kind}.part[{n}]", "missing 'text'")
                for name in _PLACEHOLDER.findall(part["text"]):
                    if "." in name and name not in known:
                        raise PolicyFileError(path, f"{where}.letters.{kind}.part[{n}]",
                                              f"{{{name}}} is not a rule in the policy")
                parts.append(PartText(" ".join(part["text"].split()), str(part.get("heading") or ""),
                                      part.get("when"), part.get("then")))
            letters[kind] = LetterText(kind, str(item["title"]), str(item["section"]), tuple(parts))
        out.append(LettersVersion(effective, str(raw.get("desk_hours") or ""), str(raw.get("desk_hours_section") or ""),
                                  int(raw.get("reminder_days_before") or 0), str(raw.get("reminder_section") or ""),
                                  letters, tuple(str(w).lower() for w in raw.get("equipment_words") or ())))
    if not out:
        raise PolicyFileError(path, None, "has no [[version]]")
    return tuple(sorted(out, key=lambda v: v.effective_from))


def letters_version(on: date, path: Path | None = None) -> LettersVersion:
    """The wording in force on ``on`` (the letter's date); the earliest if ``on`` is before them all."""
    versions = _versions((path or letters_path()).resolve())
    from heart_desktop.domain.policy import version_in_force

    return version_in_force(versions, on)


class LetterWordingError(ValueError):
    """A letter's wording asks for a value its module does not give (a fault of letters.toml or the module)."""


def fill(text: str, policy: Policy, values: Mapping[str, str]) -> str:
    """The text with each ``{rule.key}`` as the policy's value and each ``{name}`` as given."""
    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if "." in name:
            return rule_text(policy, name)
        if name not in values:
            raise LetterWordingError(f"the letter's wording asks for {{{name}}}, which its module does not give")
        return str(values[name])

    return _PLACEHOLDER.sub(one, text)


@dataclass(frozen=True)
class FilledPart:
    heading: str
    text: str
    then: str | None = None


def filled_parts(wording: LetterText, policy: Policy, values: Mapping[str, str],
                 facts: set[str] | frozenset[str]) -> list[FilledPart]:
    """The parts that apply (a part with ``when`` only when that fact holds), filled in."""
    return [FilledPart(p.heading, fill(p.text, policy, values), p.then) for p in wording.parts
            if p.when is None or p.when in facts]
