"""The policy files load, answer with their sections, and refuse bad or contradictory data."""

from __future__ import annotations

import shutil
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from heart_desktop.domain.policy import (
    REQUIRED_RULES,
    PolicyError,
    PolicyFileError,
    default_policy_dir,
    load_policy_set,
    policy_for,
)

COUNCILS = ("NWBC", "NBBC", "RBC", "SDC", "WDC")
ON = date(2026, 10, 1)


@pytest.fixture
def policy_copy(tmp_path: Path) -> Path:
    target = tmp_path / "policy"
    shutil.copytree(default_policy_dir(), target)
    return target


def test_shipped_policy_loads_for_every_council() -> None:
    for council in COUNCILS:
        policy = policy_for(council, ON)
        for key in REQUIRED_RULES:
            rule = policy.rule(key)
            assert rule.section, key
            assert rule.effective_from <= ON


def test_headline_numbers_and_their_sections() -> None:
    policy = policy_for("WDC", ON)
    assert policy.money("dfg.max_grant") == 30_000_00
    assert policy.rate("common.fee_rate") == Fraction(1, 8)
    assert policy.money("dfg.repayable_max") == 10_000_00
    assert policy.money("dfg.repayable_threshold") == 5_000_00
    assert policy.count("dfg.repayable_years") == 10
    assert policy.money("ddfa.grant_max") == 10_000_00
    assert policy.money("ddfa.loan_max") == 10_000_00
    assert policy.money("hdg.max_grant") == 10_000_00
    assert policy.money("hsg.max_award") == 500_00
    assert policy.count("hsg.window_years") == 3
    assert policy.count("hsg.min_age") == 55
    assert policy.money("wash.max_grant") == 10_000_00
    assert policy.count("wash.min_years_owned") == 3
    assert policy.count("dfg.means_test_exempt_max_age") == 19
    assert policy.count("dfg.completion_months") == 12
    assert policy.count("dfg.determination_months") == 6
    assert policy.count("dfg.occupation_condition_years") == 5
    assert policy.count("dfg.equipment_recovery_years") == 5
    assert policy.section("dfg.repayable_max").startswith("4.1.14")
    assert policy.section("dfg.determination_months") == "13.1"
    benefits = dict(policy.choices("wash.qualifying_benefits"))
    assert "universal_credit" in benefits and "pension_credit_guarantee" in benefits


def test_councils_and_north_south_split() -> None:
    from heart_desktop.domain.policy import policy_set

    loaded = policy_set()
    assert set(loaded.councils) == set(COUNCILS)
    assert {c.code for c in loaded.councils.values() if c.area == "north"} == {"NBBC", "NWBC", "RBC"}
    assert {c.code for c in loaded.councils.values() if c.area == "south"} == {"SDC", "WDC"}
    assert [loaded.councils[c].appendix for c in COUNCILS] == ["b1", "b2", "b3", "b4", "b5"]


def test_unknown_council_and_date_before_policy() -> None:
    with pytest.raises(PolicyError, match="unknown council 'XYZ'"):
        policy_for("XYZ", ON)
    with pytest.raises(PolicyError, match="takes effect from 30/06/2017"):
        policy_for("WDC", date(2016, 1, 1)).money("dfg.max_grant")


def test_overlay_varies_one_council_from_its_date(policy_copy: Path) -> None:
    overlay = policy_copy / "councils" / "RBC.toml"
    overlay.write_text(overlay.read_text() + """
[[hsg.max_award]]
value = 1000
unit = "GBP"
section = "b3 para 1"
effective_from = "2027-04-01"
""")
    loaded = load_policy_set(policy_copy)
    assert loaded.for_case("RBC", date(2027, 3, 31)).money("hsg.max_award") == 500_00
    varied = loaded.for_case("RBC", date(2027, 4, 1)).rule("hsg.max_award")
    assert varied.value == 1000 and varied.section == "b3 para 1"
    assert loaded.for_case("WDC", date(2027, 4, 1)).money("hsg.max_award") == 500_00


def test_versioned_rule_picks_the_one_in_force(policy_copy: Path) -> None:
    base = policy_copy / "heart_fap.toml"
    text = base.read_text().replace(
        '[common.fee_rate]\nvalue = 12.5\nunit = "percent"\nsection = "4.1.9, 4.4.4, 7.2"\n'
        'effective_from = "2017-06-30"',
        '[[common.fee_rate]]\nvalue = 12.5\nunit = "percent"\nsection = "7.2"\neffective_from = "2017-06-30"\n\n'
        '[[common.fee_rate]]\nvalue = 15\nunit = "percent"\nsection = "7.2 as amended"\neffective_from = "2027-01-01"',
    )
    assert text != base.read_text()
    base.write_text(text)
    loaded = load_policy_set(policy_copy)
    assert loaded.for_case("WDC", date(2026, 12, 31)).rate("common.fee_rate") == Fraction(1, 8)
    assert loaded.for_case("WDC", date(2027, 1, 1)).rate("common.fee_rate") == Fraction(3, 20)


@pytest.mark.parametrize(
    ("old", "new", "key", "problem"),
    [
        ("value = 30000\n", "value = -30000\n", "dfg.max_grant", "must be an amount in pounds"),
        ("value = 12.5\n", "value = 125\n", "common.fee_rate", "percentage from 0 to 100"),
        ('section = "4.1.2"\n', "", "common.min_applicant_age", "missing 'section'"),
        ('effective_from = "2017-06-30"\nnote = "Applicants', 'effective_from = "30/06/2017"\nnote = "Applicants',
         "common.min_applicant_age", "is not a date"),
        ('unit = "GBP"\nsection = "4.2.2"\neffective_from = "2017-06-30"\nnote = """The grant top-up',
         'unit = "pounds"\nsection = "4.2.2"\neffective_from = "2017-06-30"\nnote = """The grant top-up',
         "ddfa.grant_band_from", "unknown unit 'pounds'"),
    ],
)
def test_malformed_rule_is_refused_with_file_key_and_problem(
    policy_copy: Path, old: str, new: str, key: str, problem: str
) -> None:
    base = policy_copy / "heart_fap.toml"
    text = base.read_text()
    assert old in text
    base.write_text(text.replace(old, new, 1))
    with pytest.raises(PolicyFileError) as caught:
        load_policy_set(policy_copy)
    message = str(caught.value)
    assert "heart_fap.toml" in message and key in message and problem in message


def test_missing_required_rule_is_refused(policy_copy: Path) -> None:
    base = policy_copy / "heart_fap.toml"
    base.write_text(base.read_text().replace("[hdg.means_tested]", "[hdg.means_tested_renamed]"))
    with pytest.raises(PolicyFileError, match=r"hdg.means_tested: required rule is missing"):
        load_policy_set(policy_copy)


def test_contradictory_bands_are_refused(policy_copy: Path) -> None:
    base = policy_copy / "heart_fap.toml"
    text = base.read_text()
    base.write_text(text.replace("[ddfa.grant_band_from]\nvalue = 30000", "[ddfa.grant_band_from]\nvalue = 25000"))
    with pytest.raises(PolicyFileError, match=r"ddfa.grant_band_from: must equal dfg.max_grant"):
        load_policy_set(policy_copy)


def test_contradictory_overlay_is_refused_naming_the_overlay(policy_copy: Path) -> None:
    overlay = policy_copy / "councils" / "SDC.toml"
    overlay.write_text(overlay.read_text() + """
[[dfg.max_grant]]
value = 35000
unit = "GBP"
section = "b4 para 2"
effective_from = "2027-04-01"
""")
    with pytest.raises(PolicyFileError) as caught:
        load_policy_set(policy_copy)
    assert "ddfa.grant_band_from" in str(caught.value)
    assert "SDC" in str(caught.value) and "01/04/2027" in str(caught.value)


def test_overlay_cannot_invent_rules_or_change_units(policy_copy: Path) -> None:
    overlay = policy_copy / "councils" / "WDC.toml"
    original = overlay.read_text()
    overlay.write_text(original + '\n[dfg.new_thing]\nvalue = 1\nunit = "years"\nsection = "b5"\n'
                       'effective_from = "2027-01-01"\n')
    with pytest.raises(PolicyFileError, match=r"WDC.toml: dfg.new_thing: varies a rule that the policy does not have"):
        load_policy_set(policy_copy)
    overlay.write_text(original + '\n[dfg.max_grant]\nvalue = 30\nunit = "years"\nsection = "b5"\n'
                       'effective_from = "2027-01-01"\n')
    with pytest.raises(PolicyFileError, match=r"unit 'years' differs"):
        load_policy_set(policy_copy)


def test_overlay_for_the_wrong_council_and_bad_toml(policy_copy: Path) -> None:
    overlay = policy_copy / "councils" / "NWBC.toml"
    overlay.write_text(overlay.read_text().replace('council = "NWBC"', 'council = "NBBC"'))
    with pytest.raises(PolicyFileError, match=r"NWBC.toml: overlay: needs an \[overlay\] table"):
        load_policy_set(policy_copy)
    overlay.write_text("[overlay\n")
    with pytest.raises(PolicyFileError, match=r"NWBC.toml: not valid TOML"):
        load_policy_set(policy_copy)


def test_every_shipped_overlay_is_empty_but_valid() -> None:
    from heart_desktop.domain.policy import policy_set

    loaded = policy_set()
    assert all(not rules for rules in loaded.overlays.values())
