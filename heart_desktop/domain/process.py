"""HEART's process as dated data (``resources/policy/casework.toml``): the channels an enquiry
arrives by (5.1), the roles a case is allocated to (5.5), how a case ends and which endings are
drop-outs (13.1, KPI 20), what a suspension does to the clocks (9.1, 13.2), and the diary's words.

The file is read once per process; ``process(on)`` gives the version in force on a day. A list
missing or malformed is refused at load with the file, the key and what is wrong.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

FILE = "casework.toml"
LISTS = ("channels", "contact_preferences", "allocation_roles", "visit_kinds", "visit_outcomes", "contact_kinds",
         "contact_directions")


class ProcessFileError(ValueError):
    def __init__(self, path: Path, key: str, problem: str) -> None:
        super().__init__(f"{path.name}: {key}: {problem}")


@dataclass(frozen=True)
class Outcome:
    key: str
    label: str
    delivered: bool  # False: a drop-out of KPI 20


@dataclass(frozen=True)
class Suspension:
    key: str
    label: str
    section: str
    clock_effect: str


@dataclass(frozen=True)
class Process:
    effective_from: date
    lists: dict[str, dict[str, str]]  # list name -> key -> label
    sections: dict[str, str]  # list name -> policy section
    outcomes: dict[str, Outcome]
    suspensions: dict[str, Suspension]
    specialist_role: str
    specialist_assistance: tuple[str, ...]
    queue_note: str
    visit_takes_from_queue: tuple[str, ...] = ()  # visit kinds that take a case from the visit queue

    def labels(self, name: str) -> dict[str, str]:
        return self.lists[name]

    def label(self, name: str, key: str | None) -> str:
        return self.lists[name].get(key or "", key or "")

    def keys(self, name: str) -> tuple[str, ...]:
        return tuple(self.lists[name])


def default_path() -> Path:
    from heart_desktop.paths import resources_dir

    return resources_dir() / "policy" / FILE


@cache
def _versions(path: Path) -> tuple[Process, ...]:
    try:
        with path.open("rb") as handle:
            doc = tomllib.load(handle)
    except FileNotFoundError:
        raise ProcessFileError(path, "(file)", "is missing") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProcessFileError(path, "(file)", f"not valid TOML ({exc})") from None
    versions = doc.get("version")
    if not isinstance(versions, list) or not versions:
        raise ProcessFileError(path, "version", "needs at least one [[version]] table")
    loaded = [_one(path, i, v) for i, v in enumerate(versions)]
    return tuple(sorted(loaded, key=lambda p: p.effective_from))


def _one(path: Path, index: int, table: dict[str, Any]) -> Process:
    where = f"version[{index}]"
    try:
        since = date.fromisoformat(str(table.get("effective_from")))
    except ValueError:
        raise ProcessFileError(path, f"{where}.effective_from", "needs a date like 2017-06-30") from None
    lists: dict[str, dict[str, str]] = {}
    sections: dict[str, str] = {}
    for name in LISTS:
        raw = table.get(name)
        if not isinstance(raw, dict):
            raise ProcessFileError(path, f"{where}.{name}", "is missing")
        sections[name] = str(raw.get("section", ""))
        entries = {k: v for k, v in raw.items() if k != "section"}
        if not entries or not all(isinstance(v, str) and v for v in entries.values()):
            raise ProcessFileError(path, f"{where}.{name}", "needs key = \"label\" entries")
        lists[name] = entries
    raw_outcomes = table.get("outcomes")
    if not isinstance(raw_outcomes, dict):
        raise ProcessFileError(path, f"{where}.outcomes", "is missing")
    sections["outcomes"] = str(raw_outcomes.get("section", ""))
    outcomes = {}
    for key, value in raw_outcomes.items():
        if key == "section":
            continue
        if not isinstance(value, dict) or not isinstance(value.get("label"), str) or not isinstance(
                value.get("delivered"), bool):
            raise ProcessFileError(path, f"{where}.outcomes.{key}", "needs a label and delivered = true or false")
        outcomes[key] = Outcome(key, value["label"], value["delivered"])
    lists["outcomes"] = {k: o.label for k, o in outcomes.items()}
    suspensions = {}
    for key, value in (table.get("suspensions") or {}).items():
        if not isinstance(value, dict) or not all(isinstance(value.get(n), str) for n in ("label", "section",
                                                                                           "clock_effect")):
            raise ProcessFileError(path, f"{where}.suspensions.{key}", "needs a label, section and clock_effect")
        suspensions[key] = Suspension(key, value["label"], value["section"], value["clock_effect"])
    if not suspensions:
        raise ProcessFileError(path, f"{where}.suspensions", "is missing")
    lists["suspensions"] = {k: s.label for k, s in suspensions.items()}
    queue = table.get("queue") or {}
    sections["queue"] = str(queue.get("section", ""))
    return Process(since, lists, sections, outcomes, suspensions, str(queue.get("specialist_role", "HIO")),
                   tuple(queue.get("specialist_assistance", ())), str(queue.get("note", "")),
                   tuple(str(k) for k in queue.get("visit_takes_from_queue", ())))


def process(on: date | None = None, path: Path | None = None) -> Process:
    """The process lists in force on ``on`` (the newest version when not given)."""
    versions = _versions((path or default_path()).resolve())
    if on is None:
        return versions[-1]
    in_force = [v for v in versions if v.effective_from <= on]
    return in_force[-1] if in_force else versions[0]
