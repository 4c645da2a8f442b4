"""HHSRS rating: the schemes load from data, score as the guidance does, and refuse what is not allowed."""

from __future__ import annotations

import math
import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heart_desktop.domain import hhsrs
from heart_desktop.domain.hhsrs import (
    NoSchemeError,
    RatingError,
    Scheme,
    SchemeFileError,
    TableUnknownError,
    UnknownHazardError,
    load_scheme,
    load_scheme_file,
    rate,
    scheme_dir,
    scheme_for,
    scheme_in_force,
    schemes,
)

S2006 = load_scheme("2006")
S2026 = load_scheme("2026")
GROUPS_2006 = ("Physiological", "Psychological", "Protection against infection", "Protection against accidents")


def formula(n: float, harm: tuple[float, float, float, float]) -> float:
    """The guidance's formula written out, to check the module against."""
    return (10000 * harm[0] + 1000 * harm[1] + 300 * harm[2] + 10 * harm[3]) / n


# --- The schemes as data ------------------------------------------------------------------------


def test_2006_has_29_hazards_numbered_1_to_29_in_the_four_groups() -> None:
    assert [h.number for h in S2006.hazards] == list(range(1, 30))
    assert S2006.groups == GROUPS_2006
    by_group = {g: [h.number for h in S2006.hazards if h.group == g] for g in GROUPS_2006}
    assert by_group == {
        "Physiological": list(range(1, 11)),
        "Psychological": list(range(11, 15)),
        "Protection against infection": list(range(15, 19)),
        "Protection against accidents": list(range(19, 30)),
    }
    assert S2006.hazards_confirmed
    assert len({h.key for h in S2006.hazards}) == 29


def test_2006_hazards_by_key_and_number_with_confirmed_vulnerable_groups() -> None:
    assert S2006.hazard("excess_cold") is S2006.hazard(2)
    assert S2006.hazard(2).vulnerable_group == "65 years or over"
    assert S2006.hazard(1).vulnerable_group == "14 years or under"
    assert S2006.hazard(21).name == "Falling on stairs etc"
    assert S2006.hazard(21).vulnerable_group_status == "confirmed"
    assert S2006.hazard(24).vulnerable_group_status == "unconfirmed"
    assert S2006.hazard(27).vulnerable_group is None


def test_2006_class_weights_bands_and_dates() -> None:
    assert S2006.class_weights == (10000, 1000, 300, 10)
    assert [b.name for b in S2006.bands] == list("ABCDEFGHIJ")
    assert S2006.in_force_from == date(2006, 4, 6)
    assert S2006.in_force_until == date(2026, 6, 22)
    assert S2006.category1_min_score == 1000


def test_2026_says_what_is_not_confirmed() -> None:
    assert len(S2026.hazards) == 21
    assert [h.number for h in S2026.hazards] == list(range(1, 22))
    assert not S2026.hazards_confirmed
    assert any("2026 hazard list is not yet confirmed" in line for line in S2026.unknown_tables)
    assert any("likelihood scale" in line and "not yet confirmed" in line for line in S2026.unknown_tables)
    assert S2026.status("likelihood").status == "unknown"
    assert S2026.status("harm").status == "unknown"
    assert S2026.status("national_averages").status == "unknown"
    assert S2026.status("classes").status == "assumed"
    assert S2026.status("bands").confirmed and S2026.status("category").confirmed
    assert S2026.likelihood_points == () and S2026.harm_points == ()
    assert dict(S2026.national_averages) == {}
    assert all(h.group is None and h.vulnerable_group is None for h in S2026.hazards)
    assert S2026.in_force_from == date(2026, 6, 23) and S2026.in_force_until is None


def test_2026_class_names_and_bands() -> None:
    assert S2026.class_names == ("Extreme", "Severe", "Serious", "Moderate")
    assert S2026.class_weights == (10000, 1000, 300, 10)
    assert [(b.name, b.min_score, b.category) for b in S2026.bands] == [
        ("High", 1000, 1),
        ("Medium", 100, 2),
        ("Low", 0, 2),
    ]


def test_every_table_not_confirmed_is_listed_for_the_app() -> None:
    for scheme in (S2006, S2026):
        for table, status in scheme.statuses.items():
            listed = any(line.startswith(hhsrs.TABLE_LABELS[table]) for line in scheme.unknown_tables)
            assert listed == (not status.confirmed), (scheme.id, table)


def test_sources_are_recorded() -> None:
    assert any("2005/3208" in s.title for s in S2006.sources)
    assert any("cih.org" in s.url for s in S2026.sources)
    assert all(s.read in hhsrs.STATUSES for s in S2006.sources + S2026.sources)


# --- Scores --------------------------------------------------------------------------------------


def test_the_guidance_example_1_in_330_scores_1066() -> None:
    rating = rate(330, [34, 6, 18, 42], "2006")
    assert rating.score == pytest.approx(1066.1212, abs=1e-3)
    assert rating.display_score == 1066
    assert (rating.band, rating.category) == ("C", 1)
    assert rating.to_dict() == {"scheme": "2006", "score": 1066.1, "band": "C", "category": 1}


@pytest.mark.parametrize("example", S2006.examples, ids=lambda e: e.title)
def test_worked_examples_printed_in_the_guidance(example: hhsrs.WorkedExample) -> None:
    rating = rate(example.likelihood, example.harm, S2006, hazard=example.hazard)
    assert rating.score == pytest.approx(example.score, abs=0.05)
    assert str(rating.display_score) in example.printed


def test_the_cli_example_1_in_180() -> None:
    rating = rate(180, [0, 10, 21.5, 68.5], "2006")
    assert rating.score == pytest.approx(95.1944, abs=1e-4)
    assert rating.to_dict() == {"scheme": "2006", "score": 95.2, "band": "G", "category": 2}
    assert rating.describe() == "score 95, band G, category 2 (2006 scheme)"
    assert rate(180, [0, 10, 21.5, 68.5], "2026").band == "Low"


@pytest.mark.parametrize(
    ("three", "remainder"),
    [((4.6, 21.5, 31.6), 42.3), ((0, 21.5, 30.1), 48.4), ((1.0, 4.6, 21.5), 72.9), ((0, 10, 21.5), 68.5)],
)
def test_three_classes_give_class_iv_as_the_remainder(three: tuple[float, ...], remainder: float) -> None:
    by_three = rate(320, three, "2006")
    by_four = rate(320, (*three, remainder), "2006")
    assert by_three.harm[3] == pytest.approx(remainder)
    assert by_three.score == pytest.approx(by_four.score)
    assert by_three.score == pytest.approx(formula(320, (*three, remainder)))


def test_official_sheet_figures_printed_rounded_are_accepted() -> None:
    rating = rate(180, [4.6, 21.5, 31.6, 42.3], "2006")
    assert rating.score == pytest.approx(formula(180, (4.6, 21.5, 31.6, 42.3)))
    rate(180, [0, 10, 21.5, 68.54], "2006")  # within the 0.05 tolerance of 100
    with pytest.raises(RatingError):
        rate(180, [0, 10, 21.5, 68.6], "2006")


@pytest.mark.parametrize("key", sorted(S2006.national_averages))
def test_national_averages_score_with_raw_figures(key: str) -> None:
    average = S2006.national_averages[key]
    rating = rate(average.likelihood, average.harm, S2006, hazard=key)
    assert rating.score == pytest.approx(formula(average.likelihood, average.harm))
    assert rating.hazard == key
    assert average.status == "unconfirmed"


def test_a_rating_records_its_scheme_and_hazard() -> None:
    rating = S2026.rate(100, [0, 0, 0], hazard=13)
    assert rating.scheme_id == "2026"
    assert rating.hazard == "indoor_air_pollutants"
    assert rating.to_dict() == {
        "scheme": "2026",
        "score": 10.0,
        "band": "Low",
        "category": 2,
        "hazard": "indoor_air_pollutants",
    }


@pytest.mark.parametrize(
    ("score", "band", "category"),
    [
        (0, "J", 2),
        (9, "J", 2),
        (9.99, "J", 2),
        (10, "I", 2),
        (19.99, "I", 2),
        (20, "H", 2),
        (49.999, "H", 2),
        (50, "G", 2),
        (100, "F", 2),
        (200, "E", 2),
        (500, "D", 2),
        (999.99, "D", 2),
        (1000, "C", 1),
        (1999.99, "C", 1),
        (2000, "B", 1),
        (4999.99, "B", 1),
        (5000, "A", 1),
        (1e9, "A", 1),
    ],
)
def test_2006_band_boundaries(score: float, band: str, category: int) -> None:
    assert S2006.band_for(score).name == band
    assert S2006.category_for(score) == category


@pytest.mark.parametrize(
    ("score", "band", "category"),
    [(0, "Low", 2), (99.99, "Low", 2), (100, "Medium", 2), (999.99, "Medium", 2), (1000, "High", 1), (1e6, "High", 1)],
)
def test_2026_bands(score: float, band: str, category: int) -> None:
    found = S2026.band_for(score)
    assert (found.name, found.category) == (band, category)


def test_band_on_the_unrounded_score_and_show_a_whole_number() -> None:
    rating = rate(1000 / 999.6, [0, 0, 0, 100], "2006")
    assert rating.score == pytest.approx(999.6)
    assert rating.display_score == 1000
    assert (rating.band, rating.category) == ("D", 2)


def test_display_rounds_half_up() -> None:
    assert rate(2000, [0, 0, 0, 100], "2006").display_score == 1  # 0.5 exactly
    assert rate(4000, [0, 0, 0, 100], "2006").display_score == 0  # 0.25


# --- Scale points --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "point"),
    [
        (0.5, 1),
        (1.5, 1),
        (1.6, 2),
        (7.5, 6),
        (100, 100),
        (179, 180),
        (240, 180),
        (241, 320),
        (4200, 3200),
        (4201, 5600),
    ],
)
def test_2006_likelihood_snaps_to_the_representative_point(n: float, point: float) -> None:
    assert S2006.likelihood_point(n) == point
    assert hhsrs.likelihood_point(n, "2006") == point


def test_each_representative_point_snaps_to_itself() -> None:
    for row in S2006.likelihood_points:
        assert S2006.likelihood_point(row.point) == row.point


def test_harm_points_snap_to_the_nearest() -> None:
    assert S2006.nearest_harm_point(20) == 21.5
    assert S2006.nearest_harm_point(0.04) == 0
    assert hhsrs.nearest_harm_point(100, "2006") == 100


def test_2026_has_no_scale_to_snap_to_and_says_so() -> None:
    with pytest.raises(TableUnknownError, match=r"2026 likelihood scale .* is not yet confirmed"):
        S2026.likelihood_point(100)
    with pytest.raises(TableUnknownError, match="spread-of-harm scale points are not yet confirmed"):
        S2026.nearest_harm_point(10)


# --- Choosing the scheme -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("begun", "scheme_id"),
    [
        (date(2006, 4, 6), "2006"),
        (date(2017, 6, 30), "2006"),
        (date(2026, 6, 22), "2006"),
        (date(2026, 6, 23), "2026"),
        (date(2040, 1, 1), "2026"),
    ],
)
def test_scheme_by_the_date_the_inspection_began(begun: date, scheme_id: str) -> None:
    assert scheme_for(begun).id == scheme_id
    assert scheme_in_force(begun).id == scheme_id


def test_no_scheme_before_april_2006() -> None:
    with pytest.raises(NoSchemeError, match="no HHSRS scheme covers an inspection begun on 2006-04-05"):
        scheme_for(date(2006, 4, 5))


def test_schemes_follow_on_oldest_first() -> None:
    assert [s.id for s in schemes()] == ["2006", "2026"]


def test_unknown_scheme_id_lists_the_schemes() -> None:
    with pytest.raises(NoSchemeError, match="no HHSRS scheme '1999'; schemes: 2006, 2026"):
        load_scheme("1999")
    with pytest.raises(NoSchemeError):
        load_scheme("../policy/heart_fap")


def test_loading_is_cached() -> None:
    assert load_scheme("2006") is S2006


# --- Refusals ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("likelihood", "message"),
    [
        (-3, "likelihood must be a positive number (1 in N, N > 0); got -3"),
        (0, "likelihood must be a positive number (1 in N, N > 0); got 0"),
        (float("nan"), "likelihood must be a positive number (1 in N, N > 0); got nan"),
        (float("inf"), "likelihood must be a positive number (1 in N, N > 0); got inf"),
        ("180", "likelihood must be a positive number (1 in N, N > 0); got '180'"),
        (True, "likelihood must be a positive number (1 in N, N > 0); got True"),
    ],
)
def test_refuses_a_likelihood_that_is_not_positive(likelihood: object, message: str) -> None:
    with pytest.raises(RatingError) as caught:
        rate(likelihood, [0, 10, 21.5], "2006")  # type: ignore[arg-type]
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("harm", "message"),
    [
        ([0, 120, 0], "class II is 120%: each class of harm must be between 0 and 100"),
        ([-1, 10, 0], "class I is -1%: each class of harm must be between 0 and 100"),
        ([0, 0, 0, 101], "class IV is 101%: each class of harm must be between 0 and 100"),
        ([0, 10, float("nan")], "class III must be a number between 0 and 100; got nan"),
        ([0, "10", 0], "class II must be a number between 0 and 100; got '10'"),
        (
            [0, 10, 20, 66],
            "the four classes of harm total 96.0%; they must total 100 (class IV is the remainder when you give three)",
        ),
        ([50, 50, 50], "classes I to III total 150.0%; they must total no more than 100 (class IV is the remainder)"),
        (
            [1, 2],
            "give the spread of harm as three classes (I to III; class IV is the remainder) or all four; got 2 values",
        ),
        (
            [1, 2, 3, 4, 90],
            "give the spread of harm as three classes (I to III; class IV is the remainder) or all four; got 5 values",
        ),
        (
            "0,10,21.5",
            "give the spread of harm as three classes (I to III; class IV is the remainder) or all four; "
            "got '0,10,21.5'",
        ),
    ],
)
def test_refuses_a_spread_of_harm_that_is_not_allowed(harm: object, message: str) -> None:
    with pytest.raises(RatingError) as caught:
        rate(180, harm, "2006")  # type: ignore[arg-type]
    assert str(caught.value) == message


def test_2026_refusals_name_the_renamed_class() -> None:
    with pytest.raises(
        RatingError, match=r"^class II \(Severe\) is 120%: each class of harm must be between 0 and 100$"
    ):
        rate(180, [0, 120, 0], "2026")


def test_refuses_a_hazard_the_scheme_does_not_have() -> None:
    with pytest.raises(
        UnknownHazardError, match="the 2026 scheme has no hazard 'biocides'; hazards are numbered 1 to 21"
    ):
        rate(180, [0, 10, 21.5], "2026", hazard="biocides")
    with pytest.raises(UnknownHazardError, match="hazards are numbered 1 to 29"):
        S2006.hazard(30)


def test_refuses_a_negative_score_to_band() -> None:
    with pytest.raises(RatingError, match="a score must be a number of 0 or more"):
        S2006.band_for(-1)


def test_parse_helpers_for_the_cli_and_form() -> None:
    assert hhsrs.parse_likelihood("180") == 180
    assert hhsrs.parse_likelihood("1 in 1,300") == 1300
    assert hhsrs.parse_likelihood("1/56") == 56
    assert hhsrs.parse_harm("0,10,21.5,68.5") == (0, 10, 21.5, 68.5)
    assert hhsrs.parse_harm("0, 10%, 21.5") == (0, 10, 21.5)
    with pytest.raises(RatingError, match=r"^likelihood must be a positive number \(1 in N, N > 0\); got 'often'$"):
        hhsrs.parse_likelihood("often")
    with pytest.raises(RatingError, match=r"likelihood must be a positive number .*got -2"):
        hhsrs.parse_likelihood("-2")
    with pytest.raises(RatingError, match=r"^class II of harm must be a number between 0 and 100; got 'x'$"):
        hhsrs.parse_harm("0,x,1")


# --- Properties ----------------------------------------------------------------------------------

likelihoods = st.floats(min_value=1e-3, max_value=1e7, allow_nan=False, allow_infinity=False)


@st.composite
def spreads(draw: st.DrawFn) -> tuple[int, int, int, int]:
    """Four classes in tenths of a percent that total exactly 100%."""
    cuts = sorted(draw(st.lists(st.integers(0, 1000), min_size=3, max_size=3)))
    return (cuts[0], cuts[1] - cuts[0], cuts[2] - cuts[1], 1000 - cuts[2])


def tenths(spread: tuple[int, ...]) -> list[float]:
    return [k / 10 for k in spread]


@settings(max_examples=200)
@given(st.sampled_from(["2006", "2026"]), likelihoods, likelihoods, spreads())
def test_score_never_rises_as_the_likelihood_falls(scheme_id: str, a: float, b: float, spread: tuple[int, ...]) -> None:
    more_likely, less_likely = min(a, b), max(a, b)  # 1 in N: a bigger N is less likely
    harm = tenths(spread)
    assert rate(more_likely, harm, scheme_id).score >= rate(less_likely, harm, scheme_id).score


@settings(max_examples=200)
@given(st.sampled_from(["2006", "2026"]), likelihoods, spreads(), st.integers(0, 2), st.data())
def test_score_never_falls_when_harm_moves_from_class_iv_to_a_worse_class(
    scheme_id: str, n: float, spread: tuple[int, int, int, int], target: int, data: st.DataObject
) -> None:
    moved = data.draw(st.integers(0, spread[3]))
    after = list(spread)
    after[target] += moved
    after[3] -= moved
    before_score = rate(n, tenths(spread), scheme_id).score
    assert rate(n, tenths(after), scheme_id).score >= before_score
    # The same with class IV left as the remainder.
    assert rate(n, tenths(after)[:3], scheme_id).score >= rate(n, tenths(spread)[:3], scheme_id).score


@settings(max_examples=200)
@given(st.sampled_from([S2006, S2026]), likelihoods, spreads())
def test_score_matches_the_formula_and_the_category_1_line(scheme: Scheme, n: float, spread: tuple[int, ...]) -> None:
    harm = tenths(spread)
    rating = rate(n, harm, scheme)
    assert math.isclose(rating.score, formula(n, (harm[0], harm[1], harm[2], harm[3])), rel_tol=1e-12)
    assert rating.category == (1 if rating.score >= 1000 else 2)
    assert rating.band == scheme.band_for(rating.score).name


@given(st.sampled_from([S2006, S2026]), st.floats(0, 1e7), st.floats(0, 1e7))
def test_bands_rise_with_the_score(scheme: Scheme, a: float, b: float) -> None:
    order = [band.name for band in scheme.bands]  # highest first
    low, high = min(a, b), max(a, b)
    assert order.index(scheme.band_for(high).name) <= order.index(scheme.band_for(low).name)


@given(st.floats(min_value=1e-6, max_value=1e9, allow_nan=False, allow_infinity=False))
def test_every_likelihood_falls_in_exactly_one_2006_range(n: float) -> None:
    assert sum(row.contains(n) for row in S2006.likelihood_points) == 1


# --- Malformed scheme files ----------------------------------------------------------------------


@pytest.fixture
def scheme_copy(tmp_path: Path) -> Path:
    target = tmp_path / "hhsrs"
    shutil.copytree(scheme_dir(), target)
    return target


def edit(folder: Path, scheme_id: str, old: str, new: str) -> Path:
    path = folder / f"scheme_{scheme_id}.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def refused(path: Path) -> str:
    with pytest.raises(SchemeFileError) as caught:
        load_scheme_file(path)
    message = str(caught.value)
    assert message.startswith(str(path))
    return message


def test_a_copied_folder_loads_like_the_bundled_one(scheme_copy: Path) -> None:
    assert load_scheme("2006", scheme_copy).hazards == S2006.hazards
    assert scheme_for(date(2026, 6, 23), scheme_copy).id == "2026"


def test_the_resources_folder_can_be_overridden(scheme_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEART_RESOURCES", str(scheme_copy.parent))
    assert load_scheme("2026").path == (scheme_copy / "scheme_2026.toml").resolve()


def test_refuses_a_file_that_is_not_toml(scheme_copy: Path) -> None:
    path = edit(scheme_copy, "2006", 'id = "2006"', 'id = "2006')
    assert "not valid TOML" in refused(path)


def test_refuses_a_missing_file(tmp_path: Path) -> None:
    assert "does not exist" in refused(tmp_path / "scheme_2006.toml")


@pytest.mark.parametrize(
    ("scheme_id", "old", "new", "expected"),
    [
        ("2006", 'id = "2006"', 'id = "2007"', "id: must match the file name ('2006'); got '2007'"),
        ("2006", "schema_version = 1", "schema_version = 2", "schema_version: this version of the app reads version 1"),
        ("2006", "number = 3\n", "number = 4\n", "hazards.items[2].number: hazards are numbered 1, 2, 3 in order"),
        ("2006", 'key = "lead"', 'key = "excess_cold"', "hazards.items[6].key: 'excess_cold' appears twice"),
        ("2006", 'key = "lead"', 'key = "Lead"', "hazards.items[6].key: keys are lower_case_with_underscores"),
        ("2026", "expected_count = 21", "expected_count = 20", "hazards.items: the scheme has 20 hazards"),
        (
            "2006",
            'status = "confirmed"\nsource = "SI 2005/3208 Schedule 1',
            'status = "probably"\nsource = "x',
            ("hazards.status: must be one of confirmed, unconfirmed, assumed, unknown; got 'probably'"),
        ),
        (
            "2006",
            'name = "D"\nmin_score = 500.0\ncategory = 2',
            'name = "D"\nmin_score = 500.0\ncategory = 1',
            ("bands.items[3].category: a band from 500 is category 2"),
        ),
        ("2006", 'name = "J"\nmin_score = 0.0', 'name = "J"\nmin_score = 5.0', "the lowest band must start at 0"),
        ("2006", "min_score = 1000.0\ncategory = 1", "min_score = 900.0\ncategory = 2", "straddle"),
        (
            "2006",
            "weight = 300",
            "weight = 3000",
            "classes.items[2].weight: each class must weigh less than the one before",
        ),
        (
            "2006",
            "above = 42.0\nup_to = 75.0",
            "above = 43.0\nup_to = 75.0",
            ("likelihood.ranges[7].above: must follow on from the range before (42); got 43"),
        ),
        ("2006", "point = 180.0", "point = 250.0", "likelihood.ranges[9].point: 250 is not inside its own range"),
        ("2006", "from = 2006-04-06", 'from = "6 April 2006"', "in_force.from: expected a date such as 2026-06-23"),
        ("2006", "harm_total_tolerance = 0.05", "harm_total_tolerance = 2", "formula.harm_total_tolerance"),
        ("2006", 'band_on = "unrounded"', 'band_on = "rounded"', "rounding.band_on: the app supports only 'unrounded'"),
        (
            "2006",
            'hazard = "falls_on_stairs"',
            'hazard = "stairs"',
            "national_averages.items[1].hazard: no hazard 'stairs'",
        ),
        ("2006", "harm = [0.2, 13.8, 27.3, 58.7]", "harm = [0.2, 13.8, 27.3]", "national_averages.items[2].harm"),
    ],
)
def test_refuses_a_malformed_scheme_file(scheme_copy: Path, scheme_id: str, old: str, new: str, expected: str) -> None:
    path = edit(scheme_copy, scheme_id, old, new)
    message = refused(path)
    assert expected in message


def test_a_confirmed_table_must_name_its_source(scheme_copy: Path) -> None:
    path = edit(
        scheme_copy,
        "2026",
        '[bands]\nstatus = "confirmed"\nsource = "Surrey',
        '[bands]\nstatus = "confirmed"\nsourcex = "Surrey',
    )
    assert "bands.source: a confirmed table must say where it was read" in refused(path)


def test_a_missing_table_status_is_named(scheme_copy: Path) -> None:
    path = edit(scheme_copy, "2026", '[national_averages]\nstatus = "unknown"', "[national_averages]")
    assert "national_averages.status: missing" in refused(path)


def test_a_known_table_cannot_be_left_empty(scheme_copy: Path) -> None:
    path = edit(
        scheme_copy,
        "2026",
        '[harm]\npoints = []\nconfirmed_points = []\nstatus = "unknown"',
        ('[harm]\npoints = []\nconfirmed_points = []\nstatus = "unconfirmed"'),
    )
    assert "harm.points: missing: give the points, or mark the table status 'unknown'" in refused(path)


def test_schemes_must_follow_on_without_overlap(scheme_copy: Path) -> None:
    edit(scheme_copy, "2006", "until = 2026-06-22", "until = 2026-06-30")
    with pytest.raises(SchemeFileError, match=r"in_force\.until: the 2006 scheme must end on 2026-06-22"):
        schemes(scheme_copy)
