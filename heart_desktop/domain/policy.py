"""The HEART policy as data: load, check and query ``resources/policy``.

Numbers never appear in code; code asks a :class:`Policy` for the rule in force for one council
on one date, and every answer carries the policy section it comes from, so a decision can cite
it. Files are checked when loaded: a malformed or contradictory file is refused with the file,
the key and what is wrong.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any

from heart_desktop.domain.money import Pence, pence

UNITS = frozenset(
    {"GBP", "percent", "years", "months", "age", "bool", "tenures", "choices", "text"}
)
RULE_FIELDS = frozenset({"value", "unit", "section", "effective_from", "note"})
BASE_FILE = "heart_fap.toml"
COUNCILS_FILE = "councils.toml"
POSTCODES_FILE = "postcodes.toml"
OVERLAY_DIR = "councils"

# The rules the software asks for, with the unit each must have. Structure, not numbers.
REQUIRED_RULES: Mapping[str, str] = {
    "common.min_applicant_age": "age",
    "common.fee_rate": "percent",
    "common.fees_on_funded_works_only": "bool",
    "common.fees_excluded_from_charges": "bool",
    "common.tenures": "tenures",
    "common.applied_for_default": "text",
    "common.ancillary_fees_funded": "bool",
    "dfg.council_housing_tenures": "tenures",
    "dfg.statutory_purposes": "choices",
    "dfg.max_grant": "GBP",
    "dfg.eligible_tenures": "tenures",
    "dfg.means_test_exempt_max_age": "age",
    "dfg.passported_benefit_exempt": "bool",
    "dfg.contribution_carry_years_owner": "years",
    "dfg.contribution_carry_years_tenant": "years",
    "dfg.repayable_threshold": "GBP",
    "dfg.repayable_max": "GBP",
    "dfg.repayable_years": "years",
    "dfg.repayable_tenures": "tenures",
    "dfg.occupation_condition_years": "years",
    "dfg.equipment_recovery_years": "years",
    "dfg.maintenance_agreement_years": "years",
    "dfg.completion_months": "months",
    "dfg.determination_months": "months",
    "ddfa.grant_max": "GBP",
    "ddfa.grant_band_from": "GBP",
    "ddfa.grant_band_to": "GBP",
    "ddfa.loan_max": "GBP",
    "ddfa.loan_band_from": "GBP",
    "ddfa.loan_band_to": "GBP",
    "ddfa.loan_interest_rate": "percent",
    "ddfa.means_test_child_cases": "bool",
    "ddfa.eligible_tenures": "tenures",
    "ddfa.grant_repayable": "bool",
    "ddfa.loan_charge_expires": "bool",
    "ddfa.tenant_housing_options_above": "GBP",
    "ddfa.equity_protection_after_years": "years",
    "ddfa.equity_protection_min": "GBP",
    "hdg.max_grant": "GBP",
    "hdg.means_tested": "bool",
    "hdg.eligible_tenures": "tenures",
    "hdg.requires_disabled_person": "bool",
    "hdg.repayable_like_dfg": "bool",
    "hsg.max_award": "GBP",
    "hsg.window_years": "years",
    "hsg.min_age": "age",
    "hsg.eligible_tenures": "tenures",
    "hsg.means_tested": "bool",
    "wash.max_grant": "GBP",
    "wash.eligible_tenures": "tenures",
    "wash.min_years_owned": "years",
    "wash.no_repeat_years": "years",
    "wash.requires_category1_hazard": "bool",
    "wash.health_risk_offset": "bool",
    "wash.reasonable_care": "bool",
    "wash.child_tax_credit_income_limit": "GBP",
    "wash.qualifying_benefits": "choices",
}


class PolicyError(ValueError):
    """A question the policy cannot answer (unknown council, a date before it took effect)."""


class PolicyFileError(PolicyError):
    """A policy file that is malformed or contradicts itself."""

    def __init__(self, file: Path | str, key: str | None, problem: str) -> None:
        where = f"{file}: {key}: " if key else f"{file}: "
        super().__init__(where + problem)
        self.file, self.key, self.problem = str(file), key, problem


@dataclass(frozen=True)
class Rule:
    key: str
    value: Any
    unit: str
    section: str
    effective_from: date
    note: str | None
    source: str

    def cite(self) -> str:
        return f"policy {self.section}"


@dataclass(frozen=True)
class Council:
    code: str
    name: str
    appendix: str
    area: str


@dataclass(frozen=True)
class PostcodeDistrict:
    district: str
    councils: tuple[str, ...]
    partial: bool
    note: str | None


@dataclass(frozen=True)
class PolicySet:
    """Every rule from every file, before a council and date are chosen."""

    directory: Path
    title: str
    version: str
    base: Mapping[str, tuple[Rule, ...]]
    overlays: Mapping[str, Mapping[str, tuple[Rule, ...]]]
    councils: Mapping[str, Council]
    districts: Mapping[str, PostcodeDistrict]
    postcode_section: str = ""
    _cache: dict[tuple[str, date], Policy] = field(default_factory=dict, compare=False)

    def council(self, code: str) -> Council:
        try:
            return self.councils[code]
        except KeyError:
            known = ", ".join(self.councils)
            raise PolicyError(f"unknown council {code!r}; use one of {known}") from None

    def for_case(self, council: str, on: date) -> Policy:
        """The policy in force for ``council`` on ``on`` (a case's application date)."""
        self.council(council)
        key = (council, on)
        if key not in self._cache:
            self._cache[key] = Policy(self, council, on)
        return self._cache[key]

    def effective_dates(self, council: str) -> list[date]:
        rules = [*self.base.values(), *self.overlays.get(council, {}).values()]
        return sorted({r.effective_from for versions in rules for r in versions})


class Policy:
    """The rules in force for one council on one date."""

    def __init__(self, policy_set: PolicySet, council: str, on: date) -> None:
        self.policy_set, self.council, self.on = policy_set, council, on

    def rule(self, key: str) -> Rule:
        versions = [
            *self.policy_set.base.get(key, ()),
            *self.policy_set.overlays.get(self.council, {}).get(key, ()),
        ]
        if not versions:
            raise PolicyError(f"the policy has no rule {key!r}")
        in_force = [r for r in versions if r.effective_from <= self.on]
        if not in_force:
            first = min(r.effective_from for r in versions)
            raise PolicyError(
                f"no policy in force on {self.on:%d/%m/%Y} for {key}: "
                f"it takes effect from {first:%d/%m/%Y}"
            )
        # The latest date wins; on the same date a council's overlay wins over the base file.
        return max(in_force, key=lambda r: (r.effective_from, r.source != BASE_FILE))

    def money(self, key: str) -> Pence:
        return pence(self._typed(key, "GBP"))

    def rate(self, key: str) -> Fraction:
        """A percentage as an exact fraction (12.5 -> 1/8)."""
        return Fraction(str(self._typed(key, "percent"))) / 100

    def flag(self, key: str) -> bool:
        return bool(self._typed(key, "bool"))

    def count(self, key: str) -> int:
        return int(self._typed(key, "years", "months", "age"))

    def tenures(self, key: str) -> tuple[str, ...]:
        return tuple(self._typed(key, "tenures"))

    def choices(self, key: str) -> tuple[tuple[str, str], ...]:
        return tuple((c["key"], c["label"]) for c in self._typed(key, "choices"))

    def text(self, key: str) -> str:
        return str(self._typed(key, "text"))

    def section(self, key: str) -> str:
        return self.rule(key).section

    def _typed(self, key: str, *units: str) -> Any:
        rule = self.rule(key)
        if rule.unit not in units:
            raise PolicyError(f"{key} is in {rule.unit}, not {' or '.join(units)}")
        return rule.value


# --- loading ---------------------------------------------------------------------------------


def default_policy_dir() -> Path:
    from heart_desktop.paths import resources_dir

    return resources_dir() / "policy"


@lru_cache(maxsize=8)
def _load_cached(directory: Path) -> PolicySet:
    return load_policy_set(directory)


def policy_set(directory: Path | None = None) -> PolicySet:
    """The checked policy files (cached: they are read once per process)."""
    return _load_cached((directory or default_policy_dir()).resolve())


def policy_for(council: str, on: date, directory: Path | None = None) -> Policy:
    return policy_set(directory).for_case(council, on)


def load_policy_set(directory: Path) -> PolicySet:
    """Read and check every policy file in ``directory``; raise PolicyFileError on any fault."""
    base_path = directory / BASE_FILE
    base_doc = read_toml(base_path)
    meta = base_doc.pop("policy", None)
    if not isinstance(meta, dict):
        raise PolicyFileError(base_path, "policy", "missing the [policy] table (title, version)")
    base = _collect_rules(base_doc, base_path)
    for key, unit in REQUIRED_RULES.items():
        if key not in base:
            raise PolicyFileError(base_path, key, f"required rule is missing (unit {unit})")
        if base[key][0].unit != unit:
            raise PolicyFileError(
                base_path, key, f"unit is {base[key][0].unit!r}; this rule must be in {unit!r}"
            )
    councils = _load_councils(directory / COUNCILS_FILE)
    overlays = {
        code: _load_overlay(directory / OVERLAY_DIR / f"{code}.toml", code, base)
        for code in councils
    }
    districts, postcode_section = _load_postcodes(directory / POSTCODES_FILE, councils)
    loaded = PolicySet(
        directory=directory,
        title=str(meta.get("title", "")),
        version=str(meta.get("version", "")),
        base=base,
        overlays=overlays,
        councils=councils,
        districts=districts,
        postcode_section=postcode_section,
    )
    for code in councils:
        _check_consistency(loaded, code)
    return loaded


def read_toml(path: Path) -> dict[str, Any]:
    """A policy data file, or a PolicyFileError that names it and says what is wrong."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise PolicyFileError(path, None, "file is missing") from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyFileError(path, None, f"not valid TOML ({exc})") from None


def _collect_rules(doc: Mapping[str, Any], path: Path, prefix: str = "") -> dict[str, tuple[Rule, ...]]:
    """Walk nested tables; a table with a ``value`` is a rule, an array of them its versions."""
    rules: dict[str, tuple[Rule, ...]] = {}
    for name, item in doc.items():
        key = f"{prefix}{name}"
        if isinstance(item, dict) and "value" in item:
            rules[key] = (_parse_rule(key, item, path),)
        elif isinstance(item, list) and item and all(isinstance(i, dict) for i in item):
            versions = tuple(sorted((_parse_rule(key, i, path) for i in item),
                                    key=lambda r: r.effective_from))
            dates = [v.effective_from for v in versions]
            if len(set(dates)) != len(dates):
                raise PolicyFileError(path, key, "two versions share one effective_from date")
            units = {v.unit for v in versions}
            if len(units) != 1:
                raise PolicyFileError(path, key, f"versions disagree on the unit: {sorted(units)}")
            rules[key] = versions
        elif isinstance(item, dict):
            rules.update(_collect_rules(item, path, f"{key}."))
        else:
            raise PolicyFileError(
                path, key, "expected a rule table with value, unit, section and effective_from"
            )
    return rules


def _parse_rule(key: str, table: Mapping[str, Any], path: Path) -> Rule:
    unknown = set(table) - RULE_FIELDS
    if unknown:
        raise PolicyFileError(path, key, f"unknown field {sorted(unknown)[0]!r}; "
                              f"a rule has {', '.join(sorted(RULE_FIELDS))}")
    for required in ("value", "unit", "section", "effective_from"):
        if required not in table:
            raise PolicyFileError(path, key, f"missing {required!r}")
    unit = table["unit"]
    if unit not in UNITS:
        raise PolicyFileError(path, key, f"unknown unit {unit!r}; use one of {sorted(UNITS)}")
    section = table["section"]
    if not isinstance(section, str) or not section.strip():
        raise PolicyFileError(path, key, "section must name the policy section, e.g. '4.1.14'")
    effective = table["effective_from"]
    if isinstance(effective, str):
        try:
            effective = date.fromisoformat(effective)
        except ValueError:
            raise PolicyFileError(path, key, f"effective_from {effective!r} is not a date "
                                  "(write it as YYYY-MM-DD)") from None
    if not isinstance(effective, date):
        raise PolicyFileError(path, key, "effective_from must be a date (YYYY-MM-DD)")
    problem = _VALUE_CHECKS[unit](table["value"])
    if problem:
        raise PolicyFileError(path, key, problem)
    note = table.get("note")
    return Rule(key, table["value"], unit, section.strip(), effective,
                note.strip() if isinstance(note, str) else None, path.name)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_money(value: Any) -> str | None:
    if not _is_number(value) or value < 0:
        return f"value {value!r} must be an amount in pounds, 0 or more"
    return None


def _check_percent(value: Any) -> str | None:
    if not _is_number(value) or not 0 <= value <= 100:
        return f"value {value!r} must be a percentage from 0 to 100"
    return None


def _check_count(value: Any) -> str | None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        return f"value {value!r} must be a whole number, 0 or more"
    return None


def _check_bool(value: Any) -> str | None:
    return None if isinstance(value, bool) else f"value {value!r} must be true or false"


def _check_tenures(value: Any) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        return "value must be a list of tenure names"
    return None


def _check_choices(value: Any) -> str | None:
    if not isinstance(value, list) or not value:
        return "value must be a non-empty list of {key, label} tables"
    keys = []
    for choice in value:
        if not (isinstance(choice, dict) and isinstance(choice.get("key"), str)
                and isinstance(choice.get("label"), str)):
            return f"choice {choice!r} must have a text key and a text label"
        keys.append(choice["key"])
    if len(set(keys)) != len(keys):
        return "choice keys must be unique"
    return None


def _check_text(value: Any) -> str | None:
    return None if isinstance(value, str) else f"value {value!r} must be text"


_VALUE_CHECKS: Mapping[str, Callable[[Any], str | None]] = {
    "GBP": _check_money,
    "percent": _check_percent,
    "years": _check_count,
    "months": _check_count,
    "age": _check_count,
    "bool": _check_bool,
    "tenures": _check_tenures,
    "choices": _check_choices,
    "text": _check_text,
}


def _load_councils(path: Path) -> dict[str, Council]:
    doc = read_toml(path)
    areas = doc.get("areas", {})
    councils: dict[str, Council] = {}
    for code, table in doc.get("councils", {}).items():
        for required in ("name", "appendix", "area"):
            if not isinstance(table.get(required), str):
                raise PolicyFileError(path, f"councils.{code}", f"missing {required!r}")
        if table["area"] not in areas:
            raise PolicyFileError(path, f"councils.{code}.area",
                                  f"unknown area {table['area']!r}; define it under [areas]")
        councils[code] = Council(code, table["name"], table["appendix"], table["area"])
    if not councils:
        raise PolicyFileError(path, "councils", "no councils defined")
    return councils


def _load_overlay(path: Path, code: str, base: Mapping[str, tuple[Rule, ...]]) -> dict[str, tuple[Rule, ...]]:
    doc = read_toml(path)
    meta = doc.pop("overlay", None)
    if not isinstance(meta, dict) or meta.get("council") != code:
        raise PolicyFileError(path, "overlay", f"needs an [overlay] table with council = {code!r}")
    rules = _collect_rules(doc, path)
    for key, versions in rules.items():
        if key not in base:
            raise PolicyFileError(path, key, "varies a rule that the policy does not have")
        if versions[0].unit != base[key][0].unit:
            raise PolicyFileError(
                path, key, f"unit {versions[0].unit!r} differs from the policy's {base[key][0].unit!r}"
            )
    return rules


def _load_postcodes(path: Path, councils: Mapping[str, Council]) -> tuple[dict[str, PostcodeDistrict], str]:
    doc = read_toml(path)
    districts: dict[str, PostcodeDistrict] = {}
    for district, table in doc.get("districts", {}).items():
        codes = table.get("councils")
        if not isinstance(codes, list) or not codes:
            raise PolicyFileError(path, f"districts.{district}", "needs a list of councils")
        for code in codes:
            if code not in councils:
                raise PolicyFileError(path, f"districts.{district}", f"unknown council {code!r}")
        districts[district.upper()] = PostcodeDistrict(
            district.upper(), tuple(codes), bool(table.get("partial", False)), table.get("note")
        )
    return districts, str(doc.get("section", ""))


# --- contradictions ----------------------------------------------------------------------------


def _check_consistency(loaded: PolicySet, council: str) -> None:
    """Run every cross-rule check on the policy as it stands on each date it changes."""
    for when in loaded.effective_dates(council):
        policy = loaded.for_case(council, when)
        for check in _CONSISTENCY_CHECKS:
            problem = check(policy)
            if problem:
                key, message = problem
                rule = policy.rule(key)
                file = loaded.directory / (rule.source if rule.source == BASE_FILE
                                           else f"{OVERLAY_DIR}/{rule.source}")
                raise PolicyFileError(
                    file, key, f"{message} (as in force for {council} from {when:%d/%m/%Y})"
                )
    loaded._cache.clear()


def _in_force(policy: Policy, key: str) -> bool:
    try:
        policy.rule(key)
    except PolicyError:
        return False
    return True


def _equal(key: str, other: str, what: str) -> Callable[[Policy], tuple[str, str] | None]:
    def check(policy: Policy) -> tuple[str, str] | None:
        if not (_in_force(policy, key) and _in_force(policy, other)):
            return None
        if policy.money(key) != policy.money(other):
            return key, f"must equal {other} ({what})"
        return None

    return check


def _band_width(start: str, end: str, width: str) -> Callable[[Policy], tuple[str, str] | None]:
    def check(policy: Policy) -> tuple[str, str] | None:
        if not all(_in_force(policy, k) for k in (start, end, width)):
            return None
        if policy.money(end) - policy.money(start) != policy.money(width):
            return end, f"the band {start} to {end} must be as wide as {width}"
        return None

    return check


def _below(low: str, high: str) -> Callable[[Policy], tuple[str, str] | None]:
    def check(policy: Policy) -> tuple[str, str] | None:
        if _in_force(policy, low) and _in_force(policy, high) and policy.money(low) >= policy.money(high):
            return low, f"must be below {high}"
        return None

    return check


def _tenures_known(policy: Policy) -> tuple[str, str] | None:
    if not _in_force(policy, "common.tenures"):
        return None
    known = set(policy.tenures("common.tenures"))
    for key in REQUIRED_RULES:
        if REQUIRED_RULES[key] == "tenures" and key != "common.tenures" and _in_force(policy, key):
            unknown = set(policy.tenures(key)) - known
            if unknown:
                return key, f"unknown tenure {sorted(unknown)[0]!r}; known: {sorted(known)}"
    return None


_CONSISTENCY_CHECKS: Iterable[Callable[[Policy], tuple[str, str] | None]] = (
    _equal("ddfa.grant_band_from", "dfg.max_grant", "the DDFA top-up starts where DFG stops"),
    _band_width("ddfa.grant_band_from", "ddfa.grant_band_to", "ddfa.grant_max"),
    _equal("ddfa.loan_band_from", "ddfa.grant_band_to", "the loan starts where the top-up stops"),
    _band_width("ddfa.loan_band_from", "ddfa.loan_band_to", "ddfa.loan_max"),
    _below("dfg.repayable_threshold", "dfg.max_grant"),
    _tenures_known,
)


def version_in_force(versions: tuple[Any, ...], on: date) -> Any:
    """Of dated versions (each with ``effective_from``, sorted oldest first), the one in force on
    ``on``; the earliest when ``on`` is before them all (a letter or appeal dated before the data)."""
    in_force = [v for v in versions if v.effective_from <= on]
    return in_force[-1] if in_force else versions[0]
