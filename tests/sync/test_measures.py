"""The partnership measures from the data itself: cases with known events, recorded on two laptops
(north and south), synced to a real office on 127.0.0.1 (SQLite and PostgreSQL), then every
measure checked by council, north, south and in total, in the JSON, CSV, XLSX and PDF that
``heart-central report`` writes and in the figures a manager's laptop fetches.

The quarter is 2026/27-Q3 (1 October to 31 December 2026). Each expected figure is worked out
below from the cases' dates (comments give the sums)."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sync_server import Server

from heart_desktop.central.cli import main as central
from heart_desktop.store import Store
from heart_desktop.sync.client import SyncError, sync_once
from heart_desktop.sync.measures_client import fetch_measure_cases, fetch_measures

Q3 = "2026/27-Q3"
COUNCILS = ("NWBC", "NBBC", "RBC", "SDC", "WDC")
NORTH, SOUTH = ("NWBC", "NBBC", "RBC"), ("SDC", "WDC")
HOLIDAYS_2026 = {date(2026, 4, 3), date(2026, 4, 6), date(2026, 5, 4), date(2026, 5, 25), date(2026, 8, 31)}
NHS = "9434765919"
ALL_IN = {"level_access_shower": 1}


def d(text: str) -> date:
    return date.fromisoformat(text)


def working_days(start: str, end: str) -> int:
    """An independent count: each day after ``start`` up to ``end``, not a weekend or holiday."""
    first, last = d(start), d(end)
    return sum(1 for n in range(1, (last - first).days + 1)
               if (first + timedelta(days=n)).weekday() < 5 and first + timedelta(days=n) not in HOLIDAYS_2026)


def ot_answers(needs: set[str]) -> dict[str, Any]:
    outcomes = ("nutrition", "hygiene", "toilet", "clothing", "safe_home", "habitable_home", "relationships",
                "work_education", "community", "caring")
    return {f"adl_{o}": {"difficulty": "some_difficulty" if o in needs else "independent"} for o in outcomes}


def make_case(store: Store, council: str, family: str, tenure: str, nhs: bool = False,
              ot: set[str] | None = None, works: list[tuple[int, int, int]] = (), **fields: Any) -> str:
    """A case with its applicant and home; ``works`` as (quantity, rate in pence, VAT %)."""
    dates = {k: d(v) if isinstance(v, str) and k.endswith("_on") else v for k, v in fields.items()}
    with store.transaction():
        case_id = store.cases.create(council, assigned_officer=store.officer, **dates)
        store.people.insert({"case_id": case_id, "given_name": "Ann", "family_name": family, "is_applicant": True,
                             "nhs_number": NHS if nhs else None})
        store.properties.insert({"case_id": case_id, "address_line1": "1 High Street", "postcode": "CV34 4RL",
                                 "tenure": tenure})
        for position, (quantity, rate, vat) in enumerate(works):
            store.works.insert({"case_id": case_id, "position": position, "description": "works", "quantity": quantity,
                                "unit": "item", "rate_pence": rate, "vat_percent": vat})
        if ot is not None:
            form = store.forms.start(case_id, "ot_needs_assessment", "1.0", ot_answers(ot))
            store.forms.complete(form)
    return case_id


def record_north(store: Store) -> None:
    """North laptop (an OT covering NWBC, NBBC and RBC)."""
    make_case(store, "NBBC", "N1", "owner", nhs=True, ot={"hygiene", "toilet"}, works=[(1, 500_000, 0)],
              enquiry_on="2026-06-01", telephone_assessment_on="2026-06-10", visit_on="2026-07-01",
              contractor_visit_on="2026-07-15", quotation_on="2026-08-01", application_on="2026-08-10",
              approval_on="2026-08-20", works_start_on="2026-09-01", works_complete_on="2026-10-10",
              outcome="completed", outcome_on=d("2026-10-20"), adaptation_type="level_access_shower",
              needs_major_adaptation=True)
    make_case(store, "RBC", "N2", "council_tenant", enquiry_on="2026-09-20", telephone_assessment_on="2026-10-02",
              visit_on="2026-10-20", needs_major_adaptation=True)
    make_case(store, "NWBC", "N3", "owner", enquiry_on="2026-11-05")
    make_case(store, "NBBC", "N4", "private_tenant", enquiry_on="2026-08-01", telephone_assessment_on="2026-08-15",
              needs_major_adaptation=True, outcome="withdrawn", outcome_on=d("2026-11-30"))
    n5 = make_case(store, "NBBC", "N5", "owner", nhs=True, enquiry_on="2026-10-15",
                   telephone_assessment_on="2026-10-25")
    store.interventions.add(n5, "falls_assessment", d("2026-11-01"))
    store.interventions.add(n5, "advice_general", d("2026-12-31"))
    store.interventions.add(n5, "advice_general", d("2027-01-02"))  # the next quarter
    store.feedback.insert({"case_id": n5, "kind": "compliment", "received_on": d("2026-11-10"),
                           "summary": "Thank you"})


def record_south(store: Store) -> None:
    """South laptop (a manager covering SDC and WDC: urgency is a manager's to agree)."""
    s1 = make_case(store, "WDC", "S1", "owner", nhs=True, ot={"safe_home", "community"}, works=[(2, 150_000, 20)],
                   urgent=True, enquiry_on="2026-09-01", telephone_assessment_on="2026-09-03", visit_on="2026-09-10",
                   contractor_visit_on="2026-09-17", quotation_on="2026-09-24", application_on="2026-09-28",
                   approval_on="2026-10-05", works_start_on="2026-10-12", works_complete_on="2026-10-16",
                   outcome="completed", outcome_on=d("2026-10-30"), adaptation_type="stairlift_straight",
                   needs_major_adaptation=True)
    store.interventions.add(s1, "hazard_assessed", d("2026-10-01"))
    store.interventions.add(s1, "hazard_identified", d("2026-10-01"))
    store.interventions.add(s1, "charity_support", d("2026-09-30"))  # the quarter before
    store.feedback.insert({"case_id": s1, "kind": "complaint", "received_on": d("2026-10-05"), "upheld": True,
                           "decided_on": d("2026-11-20"), "summary": "Late"})
    store.feedback.insert({"case_id": s1, "kind": "complaint", "received_on": d("2026-06-01"), "upheld": True,
                           "decided_on": d("2026-10-03"), "summary": "Earlier"})
    store.surveys.insert({"case_id": s1, "answered_on": d("2026-11-02"), "answers": {
        "respect_dignity": "very_good", "communication": "good", "responsiveness": "fair", "reliability": "good",
        "contractors": "not_applicable", "overall": "good"}})
    s2 = make_case(store, "SDC", "S2", "housing_association_tenant", works=[(1, 2_500_000, 0)],
                   enquiry_on="2026-04-01", telephone_assessment_on="2026-04-10", visit_on="2026-05-01",
                   contractor_visit_on="2026-05-20", quotation_on="2026-06-10", application_on="2026-06-20",
                   approval_on="2026-07-01", works_start_on="2026-08-03", works_complete_on="2026-11-13",
                   outcome="completed", outcome_on=d("2026-11-27"), adaptation_type="extension",
                   needs_major_adaptation=True)
    store.surveys.insert({"case_id": s2, "answered_on": d("2026-12-01"), "answers": {
        "respect_dignity": "good", "communication": "poor", "responsiveness": "good", "reliability": "very_poor",
        "contractors": "good", "overall": "fair"}})
    make_case(store, "WDC", "S3", "owner", nhs=True, enquiry_on="2026-12-01", telephone_assessment_on="2026-12-05",
              visit_on="2026-12-20", needs_major_adaptation=True, outcome="not_eligible", outcome_on=d("2026-12-22"))
    make_case(store, "SDC", "S4", "owner", enquiry_on="2026-12-31")
    make_case(store, "WDC", "S5", "owner", enquiry_on="2027-01-01")  # the next quarter: counted nowhere


def per(**by_council: float | None) -> dict[str, float | None]:
    """Every council, 0 unless given."""
    return {c: by_council.get(c, 0) for c in COUNCILS}


def avg(**by_council: float) -> dict[str, float | None]:
    """Every council, None (no case) unless given."""
    return {c: by_council.get(c) for c in COUNCILS}


N1_WD, S1_WD, S2_WD = (working_days("2026-06-01", "2026-10-10"), working_days("2026-09-01", "2026-10-16"),
                       working_days("2026-04-01", "2026-11-13"))
# figure -> (total, north, south, by council)
EXPECTED: dict[str, tuple[Any, Any, Any, dict[str, Any]]] = {
    # outcomes of the cases completed in the quarter (N1 NBBC: hygiene, toilet; S1 WDC: safe home, community)
    **{f"KPI {n}": (0, 0, 0, per()) for n in (1, 4, 6, 7, 8, 10)},
    "KPI 2": (1, 1, 0, per(NBBC=1)), "KPI 3": (1, 1, 0, per(NBBC=1)),
    "KPI 5": (1, 0, 1, per(WDC=1)), "KPI 9": (1, 0, 1, per(WDC=1)),
    # approved in Q3: S1 only; works complete / closed in Q3 with an approval: N1, S1, S2 (housing association)
    "KPI 11": (1, 0, 1, per(WDC=1)), "KPI 12": (3, 1, 2, per(NBBC=1, SDC=1, WDC=1)),
    "KPI 13": (3, 1, 2, per(NBBC=1, SDC=1, WDC=1)),
    # demand
    "KPM 1": (4, 2, 2, per(NWBC=1, NBBC=1, SDC=1, WDC=1)),  # N3, N5, S3, S4 (S5 is January)
    "KPM 2": (3, 2, 1, per(RBC=1, NBBC=1, WDC=1)),  # N2, N5, S3
    "KPM 3": (2, 1, 1, per(NWBC=1, SDC=1)),  # N3, S4
    "KPM 4": (1, 1, 0, per(NBBC=1)),  # N5 (N4 closed in November)
    "KPM 5": (2, 1, 1, per(RBC=1, WDC=1)),  # N2, S3
    "KPM 6": (5, 2, 3, per(NBBC=2, SDC=1, WDC=2)),  # N1, N4, S1, S2, S3
    "KPM 7": (4, 1, 3, per(NBBC=1, SDC=1, WDC=2)),  # N4 had no visit
    # interventions (charity support on 30 September and advice on 2 January fall outside)
    **{key: (0, 0, 0, per()) for key in (
        "KPI 11 a", "KPI 11 b", "KPI 11 c", "KPI 12 a", "KPI 12 b", "KPI 13 b", "KPI 13 c", "KPI 13 d", "KPI 14 c",
        "KPI 15 a", "KPI 15 b", "KPI 15 c", "KPI 16 a", "KPI 16 b", "KPI 17 a", "KPI 17 b", "KPI 17 c", "KPI 17 d",
        "KPI 18 a", "KPI 18 b", "KPI 18 c", "KPI 19 a", "KPI 19 b", "KPI 19 c", "KPI 19 d")},
    "KPI 13 a": (1, 1, 0, per(NBBC=1)), "KPI 16 c": (1, 1, 0, per(NBBC=1)),
    "KPI 14 a": (1, 0, 1, per(WDC=1)), "KPI 14 b": (1, 0, 1, per(WDC=1)),
    # council housing: N2 (RBC) visited in Q3 needing a major adaptation; costs of N1 £5,000, S1 £3,600 (2 x £1,500
    # + 20% VAT), S2 £25,000
    "KPM 8": (1, 1, 0, per(RBC=1)),
    "KPM 9": (11200.0, 5000.0, 14300.0, avg(NBBC=5000.0, WDC=3600.0, SDC=25000.0)),
    # timeline over N1, S1, S2 (major adaptations closed in Q3): N1 131, S1 45, S2 226 days enquiry to works complete
    "KPM 10": (134.0, 131.0, 135.5, avg(NBBC=131.0, WDC=45.0, SDC=226.0)),
    "KPM 11": (8.7, 11.0, 4.0, avg(RBC=12.0, NBBC=10.0, WDC=4.0)),  # telephone assessments in Q3: N2, N5, S3
    "KPM 12": (16.5, 18.0, 15.0, avg(RBC=18.0, WDC=15.0)),  # visits in Q3: N2, S3
    "KPM 13": (13.3, 14.0, 13.0, avg(NBBC=14.0, WDC=7.0, SDC=19.0)),
    "KPM 14": (15.0, 17.0, 14.0, avg(NBBC=17.0, WDC=7.0, SDC=21.0)),
    "KPM 15": (17.0, 19.0, 16.0, avg(NBBC=19.0, WDC=11.0, SDC=21.0)),
    "KPM 16": (17.3, 12.0, 20.0, avg(NBBC=12.0, WDC=7.0, SDC=33.0)),
    "KPM 17": (48.3, 39.0, 53.0, avg(NBBC=39.0, WDC=4.0, SDC=102.0)),
    # each type: shower (N1), straight stairlift (S1), extension (S2)
    "KPM 18": (3, 1, 2, per(NBBC=1, SDC=1, WDC=1)),
    "KPM 19": (3, 1, 2, per(NBBC=1, SDC=1, WDC=1)),
    "KPM 20": (134.0, 131.0, 135.5, avg(NBBC=131.0, WDC=45.0, SDC=226.0)),
    "KPM 21": (45, 131, 45, avg(NBBC=131, WDC=45, SDC=226)),
    "KPM 22": (226, 131, 226, avg(NBBC=131, WDC=45, SDC=226)),
    "KPM 23": (11200.0, 5000.0, 14300.0, avg(NBBC=5000.0, WDC=3600.0, SDC=25000.0)),
    # drop-out: N4 withdrawn, S3 not eligible; of N1, N4, S1, S2, S3 closed needing one
    "KPI 20": (2, 1, 1, per(NBBC=1, WDC=1)),
    # compliments and complaints: both of S1's complaints were decided (upheld) in Q3, one received in it
    "KPI 21": (1, 1, 0, per(NBBC=1)), "KPI 22": (1, 0, 1, per(WDC=1)), "KPI 23": (2, 0, 2, per(WDC=2)),
    # surveys: S1 (WDC) and S2 (SDC); none in the north; S1's contractors not applicable
    "KPM 24": (100.0, None, 100.0, avg(WDC=100.0, SDC=100.0)),
    "KPM 25": (50.0, None, 50.0, avg(WDC=100.0, SDC=0.0)),
    "KPM 26": (50.0, None, 50.0, avg(WDC=0.0, SDC=100.0)),
    "KPM 27": (50.0, None, 50.0, avg(WDC=100.0, SDC=0.0)),
    "KPM 28": (100.0, None, 100.0, avg(SDC=100.0)),
    "KPM 29": (50.0, None, 50.0, avg(WDC=100.0, SDC=0.0)),
    # the DFG delivery guidance's: NHS numbers on N5 and S3 of the four enquiries; S1 urgent; N1 and S2 not
    "DFG 1": (50.0, 50.0, 50.0, avg(NWBC=0.0, NBBC=100.0, WDC=100.0, SDC=0.0)),
    "DFG 2": (float(S1_WD), None, float(S1_WD), avg(WDC=float(S1_WD))),
    "DFG 3": (100.0, None, 100.0, avg(WDC=100.0)),
    "DFG 4": (round((N1_WD + S2_WD) / 2, 1), float(N1_WD), float(S2_WD), avg(NBBC=float(N1_WD), SDC=float(S2_WD))),
    "DFG 5": (50.0, 100.0, 0.0, avg(NBBC=100.0, SDC=0.0)),  # N1 within 150 working days, S2 not
    "DFG 6": (100.0, None, 100.0, avg(WDC=100.0)),
    "DFG 7": (None, None, None, avg()),
}
BY_TYPE = {"KPM 19": {"level_access_shower": 1, "stairlift_straight": 1, "extension": 1, "ramp": 0},
           "KPM 20": {"level_access_shower": 131.0, "stairlift_straight": 45.0, "extension": 226.0, "ramp": None},
           "KPM 23": {"level_access_shower": 5000.0, "stairlift_straight": 3600.0, "extension": 25000.0}}


def check(measures: dict[str, Any], councils: tuple[str, ...] = COUNCILS) -> None:
    assert set(EXPECTED) == set(measures), "every measure is in the report, and only those"
    for key, (total, north, south, by_council) in EXPECTED.items():
        entry = measures[key]
        got = (entry["total"], entry["north"], entry["south"], entry["by_council"])
        if councils == COUNCILS:
            assert got == (total, north, south, by_council), key
        else:
            assert entry["by_council"] == {c: by_council[c] for c in councils}, key


@pytest.fixture
def office(laptop: Callable[..., Store], server: Server) -> tuple[Server, Store, Store]:
    north = laptop("north", "N. Hale", NORTH, "OT")
    south = laptop("south", "S. Mistry", SOUTH, "manager")
    record_north(north)
    record_south(south)
    for store in (north, south, north):
        report = sync_once(store)
        assert not report.refused, report.refused
    return server, north, south


def test_every_measure_by_council_and_area_in_every_format(office: tuple[Server, Store, Store], laptop,
                                                             tmp_path: Path) -> None:
    server = office[0]
    assert N1_WD <= 150 < S2_WD and S1_WD <= 55  # the dates were chosen so
    files = {fmt: tmp_path / f"q3.{fmt}" for fmt in ("json", "csv", "xlsx", "pdf")}
    for fmt, path in files.items():
        assert central(["report", "--db", server.db_url, "--quarter", Q3, "--format", fmt, "--out", str(path)]) == 0
    report = json.loads(files["json"].read_text())
    assert report["period"] == {"from": "2026-10-01", "to": "2026-12-31", "label": Q3}
    check(report["measures"])
    kpi20 = report["measures"]["KPI 20"]["rate_percent"]
    assert (kpi20["total"], kpi20["north"], kpi20["south"]) == (40.0, 50.0, 33.3)
    assert report["measures"]["KPM 18"]["types"] == {"level_access_shower": "Level access shower",
                                                     "stairlift_straight": "Stairlift (straight)",
                                                     "extension": "Extension or conversion"}
    for key, types in BY_TYPE.items():
        for kind, figure in types.items():
            assert report["measures"][key]["by_type"][kind]["total"] == figure, (key, kind)
    assert report["measures"]["KPM 20"]["by_type"]["extension"]["south"] == 226.0
    assert "per-stage timescale" in report["measures"]["DFG 7"]["not_computed"]
    assert report["measures"]["KPM 24"]["north"] is None  # no survey in the north: not a zero
    # CSV: the same figures, one row per measure (and per type)
    rows: dict[str, dict[str, str]] = {}
    for row in csv.DictReader(io.StringIO(files["csv"].read_text())):
        rows.setdefault(row["measure"], row)  # the measure's own row comes before its per-type rows
    for key, (total, north_, south_, by_council) in EXPECTED.items():
        row = rows[key]
        assert [row["total"], row["north"], row["south"], *[row[c] for c in COUNCILS]] == [
            "" if v is None else str(v) for v in (total, north_, south_, *by_council.values())], key
    assert "per-stage" in rows["DFG 7"]["note"]
    # XLSX: one sheet per group, read back with openpyxl
    from openpyxl import load_workbook

    book = load_workbook(files["xlsx"])
    assert {"Outcomes", "Demand", "Interventions", "Timeline", "Adaptation types", "Drop-out", "Satisfaction",
            "DFG guidance 2022", "Definitions"} <= set(book.sheetnames)
    cells: dict[str, list[Any]] = {}
    for sheet in book.worksheets:
        if sheet.title in ("About", "Definitions"):
            continue
        header = [c.value for c in sheet[2]]
        assert header[:6] == ["Measure", "Title", "Unit", "Total", "North", "South"]
        for line in sheet.iter_rows(min_row=3, values_only=True):
            if line[0] not in cells:
                cells[line[0]] = list(line[3:6 + len(COUNCILS)])
    for key, (total, north_, south_, by_council) in EXPECTED.items():
        assert cells[key] == [total, north_, south_, *by_council.values()], key
    if os.environ.get("SHOT_DIR"):  # to look at the pages
        shutil.copy(files["pdf"], Path(os.environ["SHOT_DIR"]) / "measures-report.pdf")
    # PDF: the text as a reader gets it (pypdf)
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(files["pdf"]).pages)
    assert "HEART partnership measures: 2026/27-Q3" in text
    for key in EXPECTED:
        assert key in text, key
    assert "£11,200.00" in text and "£25,000.00" in text
    assert "134" in text and "per-stage timescale" in text


def test_a_manager_fetches_their_councils_figures_and_drills_to_references(office: tuple[Server, Store, Store],
                                                                           laptop) -> None:
    _server, north, south = office
    everyone = laptop("board", "B. Board", COUNCILS, "manager")
    full = fetch_measures(everyone, quarter=Q3)
    check(full["measures"])
    # the south manager sees the south only (aggregates; no names anywhere in the answer)
    mine = fetch_measures(south, quarter=Q3)
    assert mine["councils"] == ["SDC", "WDC"]
    check(mine["measures"], ("SDC", "WDC"))
    assert "Ann" not in json.dumps(mine) and "High Street" not in json.dumps(mine)
    with pytest.raises(SyncError, match="does not cover NBBC"):
        fetch_measures(south, quarter=Q3, councils=["NBBC"])
    with pytest.raises(SyncError, match="only a manager"):
        fetch_measures(north, quarter=Q3)
    with pytest.raises(SyncError, match="not a quarter"):
        fetch_measures(south, quarter="2026-Q3")
    # drill-down: the references counted, filtered to the caller's councils
    refs = fetch_measure_cases(everyone, "KPM 6", quarter=Q3)
    assert len(refs) == 5 and {r.split("/")[0] for r in refs} == {"NBBC", "SDC", "WDC"}
    assert [r.split("/")[0] for r in fetch_measure_cases(south, "KPM 6", quarter=Q3)] == ["SDC", "WDC", "WDC"]
    assert [r.split("/")[0] for r in fetch_measure_cases(south, "KPM 19", quarter=Q3, adaptation_type="extension")] \
        == ["SDC"]
    assert [r.split("/")[0] for r in fetch_measure_cases(everyone, "KPI 23", quarter=Q3)] == ["WDC"]
    # a change synced later is in the next report (the facts follow the feed)
    with south.transaction():
        case = next(c for c in south.cases.where("outcome IS NULL AND council = 'SDC' AND enquiry_on = '2026-12-31'"))
        south.cases.update(case["id"], {"outcome": "withdrawn", "outcome_on": d("2026-12-31")})
    sync_once(south)
    again = fetch_measures(everyone, quarter=Q3)["measures"]
    assert again["KPM 6"]["by_council"]["SDC"] == 2 and again["KPM 3"]["by_council"]["SDC"] == 0


def test_survey_answers_reach_the_office_and_no_other_laptop(office: tuple[Server, Store, Store], laptop) -> None:
    """The survey promises its answers are counted only in the partnership's totals: the office
    keeps them (the report above counts them) and serves them to no laptop, not even the manager's
    that covers every council; the laptop that took them keeps its own until they are sent."""
    _server, _north, south = office

    def surveys(store: Store) -> int:
        return store.conn.execute("SELECT count(*) FROM surveys").fetchone()[0]

    everyone = laptop("board", "B. Board", COUNCILS, "manager")
    first = sync_once(everyone)
    assert first.pulled > 0 and not first.repulled  # the digests agree without the survey rows
    assert everyone.conn.execute("SELECT count(*) FROM cases").fetchone()[0] > 0
    assert surveys(everyone) == 0
    again = sync_once(south)
    assert surveys(south) == 2 and not again.repulled
    assert fetch_measures(everyone, quarter=Q3)["measures"]["KPM 24"]["south"] is not None


def test_bad_input_is_refused_with_exit_2(server: Server, capsys) -> None:
    for argv, said in ((["--quarter", "2026/28-Q3"], "not two consecutive years"),
                       (["--quarter", "Q3"], "not a quarter"),
                       (["--quarter", Q3, "--council", "XYZ"], "unknown council 'XYZ'"),
                       (["--from", "2026-12-31", "--to", "2026-10-01"], "ends"),
                       (["--quarter", Q3, "--from", "2026-10-01", "--to", "2026-12-31"], "not both"),
                       (["--quarter", Q3, "--format", "pdf"], "needs --out")):
        assert central(["report", "--db", server.db_url, *argv]) == 2
        assert said in capsys.readouterr().err
    assert central(["report", "--db", server.db_url, "--from", "2026-10-01", "--to", "2026-12-31"]) == 0
    assert json.loads(capsys.readouterr().out)["measures"]["KPM 1"]["total"] == 0
