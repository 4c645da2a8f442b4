"""When a closed case's file may be erased: the retention rules as data (resources/policy/retention.toml).

A grant file is kept for a number of years after the case closes plus the rest of the year it closed
in; a registered repayable charge keeps it longer (a DFG charge until its term from certification
ends, a DDFA charge for as long as it is registered). The partnership measures' figures outlive the
file in anonymised form. No Qt, no SQL: the office's job (central/retention.py) calls this.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from heart_desktop.domain.policy import read_toml

RESOURCE = Path(__file__).resolve().parents[2] / "resources" / "policy" / "retention.toml"


@dataclass(frozen=True)
class Decision:
    """What retention says of one case on a day: ``keep`` (open, or not yet due) or ``erase``."""

    action: str
    rule: str  # the rule's key in retention.toml
    until: date | None  # the first day it may be erased; None: not while the reason stands
    reason: str
    source: str


@cache
def _rules() -> dict[str, Any]:
    return read_toml(RESOURCE)  # a missing or broken file is named, as every policy file is


def rules_for(council: str) -> dict[str, Any]:
    """The council's rules, its own table over the default one."""
    doc = _rules()
    merged = dict(doc["default"])
    for key, value in doc.get(council, {}).items():
        merged[key] = {**merged.get(key, {}), **value} if isinstance(value, dict) else value
    return merged


def laptop_window_days(council: str) -> int:
    return int(rules_for(council)["laptop_window_days"])


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def decide(council: str, closed_on: date | None, charge: str | None, certified_on: date | None,
           today: date, discharged_on: date | None = None) -> Decision:
    """Whether a case's file may be erased on ``today``. ``charge``: ``"dfg"``, ``"ddfa"`` or None;
    ``discharged_on``: the day a DDFA charge was repaid (marked at the office), from which the
    normal period runs again (rule ``ddfa_discharged``) instead of keeping the file for ever."""
    rules = rules_for(council)
    grant = rules["grant_file"]
    if closed_on is None:
        return Decision("keep", "open", None, "the case is open", grant["source"])
    if date.fromisoformat(str(rules["effective_from"])) > today:
        return Decision("keep", "not_in_force", None, "the retention schedule is not yet in force", grant["source"])
    end = _add_years(closed_on, int(grant["years_after_closure"]))
    if grant.get("plus_current_year"):
        end = date(end.year + 1, 1, 1)
    rule, source = "grant_file", grant["source"]
    if charge == "ddfa" and discharged_on is None and not rules["ddfa_charge"].get("expires", False):
        return Decision("keep", "ddfa_charge", None, "a DDFA charge is registered: kept while it stands",
                        rules["ddfa_charge"]["source"])
    if charge == "ddfa" and discharged_on is not None:
        after = rules["ddfa_discharged"]
        discharge_end = _add_years(discharged_on, int(after["years_after_discharge"]))
        if after.get("plus_current_year"):
            discharge_end = date(discharge_end.year + 1, 1, 1)
        if discharge_end > end:
            end, rule, source = discharge_end, "ddfa_discharged", after["source"]
    if charge == "dfg" and certified_on is not None:
        charge_end = _add_years(certified_on, int(rules["dfg_charge"]["years_after_certification"]))
        if charge_end > end:
            end, rule, source = charge_end, "dfg_charge", rules["dfg_charge"]["source"]
    if today >= end:
        return Decision("erase", rule, end, f"kept until {end.isoformat()} ({rule.replace('_', ' ')})", source)
    return Decision("keep", rule, end, f"kept until {end.isoformat()} ({rule.replace('_', ' ')})", source)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def holding_sentence(count: int, councils: list[str], window_days: dict[str, int] | None) -> str:
    """What a laptop holds and why, for the caseload: "Holding 214 cases: open, or closed in the
    last 90 days, in NBBC and RBC". ``window_days`` None: the laptop is not enrolled, so nothing
    leaves it by age."""
    held = f"Holding {count:,} case{'' if count == 1 else 's'}"
    councils = sorted(councils)
    if window_days is None:
        where = f" in {_and(councils)}" if councils else ""
        return f"{held}{where} (not enrolled with the office: no case leaves this laptop by age)"
    if not councils:
        return f"{held}: this officer covers no council"
    days = {c: int(window_days.get(c, laptop_window_days(c))) for c in councils}
    if len(set(days.values())) == 1:
        return f"{held}: open, or closed in the last {next(iter(days.values()))} days, in {_and(councils)}"
    return f"{held}: open, or closed in the last " + _and([f"{d} days in {c}" for c, d in days.items()])


def erasure_refusal(council: str, closed_on: date | None, approved_on: date | None, charge: str | None,
                    certified_on: date | None, today: date, discharged_on: date | None = None) -> str | None:
    """Why a case may not be erased at the person's request on ``today``, or None when it may.

    A case still open is being worked on (close it first, or restrict it); a registered repayable
    charge, or a grant file (a grant was approved) within its retention period, is a statutory
    record and is kept. A case that closed without a grant holds no statutory record.
    """
    rules = rules_for(council)
    erasure = rules["erasure"]
    if closed_on is None:
        return ("the case is open: it is being worked on (UK GDPR Art 17(3)(b)); close it with its outcome first, "
                "or restrict it (heart-central restrict) while the request is considered")
    decision = decide(council, closed_on, charge, certified_on, today, discharged_on)
    if decision.action == "erase":
        return None
    if charge is not None and decision.rule in ("dfg_charge", "ddfa_charge"):
        return (f"a repayable {charge.upper()} charge is registered: the grant file is a statutory record, "
                f"{decision.reason} ({decision.source})")
    if approved_on is not None:
        return (f"a grant was approved on {approved_on.isoformat()}: the grant file is a statutory record, "
                f"{decision.reason} ({erasure['source']})")
    return None


def statutory_stage(council: str) -> str:
    """The stage from which a case holds a grant file (a statutory record): its ``{stage}_on`` date."""
    return str(rules_for(council)["erasure"]["statutory_from_stage"])
