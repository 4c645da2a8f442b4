"""The conditions of the assistance offered, in plain English, for the statement that goes with
every application (RRO 2002 article 3(5), policy 6.1).

The wording lives in ``resources/policy/conditions.toml`` with ``{rule.key}`` placeholders, and
the numbers come from the policy in force for the case, so a council overlay that changes a
number changes the statement too. Which conditions apply is decided here from the decision:
the assistance types the case is offered, whether it owns or rents, and whether part of the
award is repayable.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from heart_desktop.domain.assistance import Decision
from heart_desktop.domain.award import COUNCIL_HOUSING
from heart_desktop.domain.money import fmt
from heart_desktop.domain.policy import Policy, PolicyFileError, policy_set

CONDITIONS_FILE = "conditions.toml"
WHENS = frozenset({"owner", "tenant", "charge", "loan"})
_PLACEHOLDER = re.compile(r"\{([a-z0-9_.]+)\}")


@dataclass(frozen=True)
class ConditionText:
    title: str
    applies_to: tuple[str, ...]
    section: str
    text: str
    when: str | None = None


@dataclass(frozen=True)
class Condition:
    """One condition as printed: the numbers filled in for the case's policy."""

    title: str
    text: str
    section: str
    applies_to: tuple[str, ...]


@dataclass(frozen=True)
class ConditionsFile:
    conditions: tuple[ConditionText, ...]
    declaration: str
    declaration_section: str


def _conditions_path(directory: Path | None) -> Path:
    return (directory or policy_set().directory) / CONDITIONS_FILE


@lru_cache(maxsize=4)
def load_conditions(directory: Path | None = None) -> ConditionsFile:
    """Read and check the conditions file; placeholders must name rules the policy has."""
    path = _conditions_path(directory)
    try:
        with path.open("rb") as handle:
            doc = tomllib.load(handle)
    except FileNotFoundError:
        raise PolicyFileError(path, None, "file is missing") from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyFileError(path, None, f"not valid TOML ({exc})") from None
    known = set(policy_set().base)
    out = []
    for index, item in enumerate(doc.get("condition", [])):
        where = f"condition[{index}]"
        for required in ("title", "applies_to", "section", "text"):
            if required not in item:
                raise PolicyFileError(path, where, f"missing {required!r}")
        when = item.get("when")
        if when is not None and when not in WHENS:
            raise PolicyFileError(path, where, f"when {when!r} is not one of {sorted(WHENS)}")
        for key in _PLACEHOLDER.findall(item["text"]):
            if key not in known:
                raise PolicyFileError(path, where, f"{{{key}}} is not a rule in the policy")
        out.append(ConditionText(item["title"], tuple(item["applies_to"]), item["section"],
                                 " ".join(item["text"].split()), when))
    declaration = doc.get("declaration") or {}
    if "text" not in declaration:
        raise PolicyFileError(path, "declaration", "missing the declaration text")
    return ConditionsFile(tuple(out), " ".join(declaration["text"].split()), declaration.get("section", ""))


def rule_text(policy: Policy, key: str) -> str:
    """A rule's value as a person reads it: £30,000, 5 years, 12 months, 12.5%."""
    rule = policy.rule(key)
    if rule.unit == "GBP":
        amount = policy.money(key)
        return fmt(amount).removesuffix(".00")
    if rule.unit in ("years", "months"):
        count = policy.count(key)
        noun = rule.unit[:-1] if count == 1 else rule.unit
        return f"{count} {noun}"
    if rule.unit == "percent":
        return f"{rule.value:g}%"
    return str(rule.value)


FUNDING_PARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("DFG", ("dfg",)), ("DDFA", ("ddfa_grant", "ddfa_loan")), ("HDG", ("hdg",)), ("HSG", ("hsg",)),
    ("WaSH", ("wash",)))


def offered_types(decision: Decision) -> tuple[str, ...]:
    """The assistance the case is offered: the types that fund part of the award (before the works
    are costed, the type applied for when it is available). A council-housing adaptation is the
    council's own works, not assistance with conditions (4.1.12)."""
    award = decision.award
    if award.route == COUNCIL_HOUSING:
        return ()
    funded = tuple(key for key, parts in FUNDING_PARTS if any(getattr(award, part) for part in parts))
    if funded:
        return funded
    return (award.applied_for,) if decision.types[award.applied_for].eligible else ()


def _applies(item: ConditionText, types: tuple[str, ...], decision: Decision) -> bool:
    if not set(item.applies_to) & set(types):
        return False
    if item.when == "owner":
        return decision.summary.tenure == "owner"
    if item.when == "tenant":
        return decision.summary.tenure != "owner"
    if item.when == "charge":
        return decision.award.repayable_charge > 0
    if item.when == "loan":
        return decision.award.ddfa_loan > 0
    return True


def conditions_for(decision: Decision, directory: Path | None = None) -> tuple[Condition, ...]:
    """The conditions of each assistance type the case is offered, numbers filled in."""
    loaded = load_conditions(directory)
    policy = policy_set().for_case(decision.summary.council, decision.summary.application_date)
    types = offered_types(decision)
    out = []
    for item in loaded.conditions:
        if not _applies(item, types, decision):
            continue
        text = _PLACEHOLDER.sub(lambda m: rule_text(policy, m.group(1)), item.text)
        out.append(Condition(item.title, text, item.section, tuple(t for t in item.applies_to if t in types)))
    return tuple(out)


def declaration() -> tuple[str, str]:
    """The declaration read back before signing, and its policy sections."""
    loaded = load_conditions()
    return loaded.declaration, loaded.declaration_section
