"""Partnership measures benchmark: a quarter's report over N cases with their events, at an office on
SQLite and on PostgreSQL.

Run: .venv/bin/python bench/measures_bench.py --cases 100000 [--postgres postgresql://user@127.0.0.1:PORT/db]
(without --postgres a throwaway cluster is started, as the tests do, when PostgreSQL is installed)

The cases are written straight into the office's ``records`` (as pushes leave them: the case, its
applicant, home, OT assessment, works, interventions, compliments and complaints, surveys; dates
spread over 2022 to 2027) with a feed entry each. Figures: the first derivation of every case's
facts (once, after an upgrade), a quarter's report with the facts current, the same after 1,000
cases changed (the report catches up from the feed), and the board's four-quarter PDF data.
Budget (DESIGN.md, issue 19): a quarter's report over 100,000 cases under 2 s.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "sync"))

from heart_desktop.central import measures
from heart_desktop.central.db import CentralDatabase
from heart_desktop.domain.measures import measure_set, parse_quarter, previous_quarters

COUNCILS = ("NWBC", "NBBC", "RBC", "SDC", "WDC")
FEED = ("INSERT INTO feed (entity, id, case_id, council, op, base_rev, rev, hlc, officer, device_id, fields) "
        "VALUES (?, ?, ?, ?, 'insert', 0, 1, 'h', 'bench', 'bench', '{}')")
RECORD = "INSERT INTO records (entity, id, case_id, council, rev, fields, hlc) VALUES (?, ?, ?, ?, 1, ?, 'h')"


def _case(rng: random.Random, n: int) -> list[tuple[str, str, str, str, str]]:
    """One case and its rows as (entity, id, case_id, council, fields)."""
    ms = measure_set()
    case_id = f"case{n:08d}"
    council = COUNCILS[n % 5]
    start = date(2022, 1, 1) + timedelta(days=rng.randrange(0, 5 * 365))
    fields: dict[str, object] = {"reference": f"{council}/{start.year % 100:02d}/{n:06d}", "council": council,
                                 "urgent": rng.random() < 0.2, "enquiry_on": start.isoformat()}
    day = start
    for stage in ("telephone_assessment", "visit", "contractor_visit", "quotation", "application", "approval",
                  "works_start", "works_complete", "signed_off"):
        if rng.random() < 0.15:
            break
        day += timedelta(days=rng.randrange(1, 40))
        fields[f"{stage}_on"] = day.isoformat()
    major = "visit_on" in fields and rng.random() < 0.6
    fields["needs_major_adaptation"] = major
    if major:
        fields["adaptation_type"] = rng.choice(list(ms.adaptation_types))
    if "signed_off_on" in fields:
        fields.update(outcome="completed", outcome_on=fields["signed_off_on"])
    elif rng.random() < 0.3:
        fields.update(outcome=rng.choice(["withdrawn", "not_eligible", "no_contact"]),
                      outcome_on=(day + timedelta(days=rng.randrange(1, 30))).isoformat())
    rows = [("case", case_id, case_id, council, fields),
            ("person", f"{case_id}p", case_id, council, {"case_id": case_id, "given_name": "A", "family_name": "B",
                                                         "nhs_number": "9434765919" if rng.random() < 0.5 else None}),
            ("property", f"{case_id}h", case_id, council, {"case_id": case_id, "address_line1": "1 High St",
                                                           "postcode": "CV34 4RL", "tenure": rng.choice(
                                                               ["owner", "private_tenant", "council_tenant",
                                                                "housing_association_tenant"])})]
    if "visit_on" in fields:
        answers = {f"adl_{a}": {"difficulty": rng.choice(["independent", "some_difficulty", "unable"])}
                   for a in ("nutrition", "hygiene", "toilet", "clothing", "safe_home", "habitable_home",
                             "relationships", "work_education", "community", "caring")}
        rows.append(("form_submission", f"{case_id}f", case_id, council, {
            "case_id": case_id, "form_id": "ot_needs_assessment", "form_version": "1.0", "status": "complete",
            "completed_at": fields["visit_on"], "answers": answers}))
        rows.append(("works_item", f"{case_id}w", case_id, council, {
            "case_id": case_id, "description": "works", "quantity": "1", "unit": "item",
            "rate_pence": rng.randrange(100_000, 3_000_000), "vat_percent": "0"}))
    for i in range(rng.randrange(0, 3)):
        rows.append(("intervention", f"{case_id}i{i}", case_id, council, {
            "case_id": case_id, "kind": rng.choice(list(ms.intervention_kinds)),
            "delivered_on": (start + timedelta(days=rng.randrange(0, 200))).isoformat()}))
    if rng.random() < 0.1:
        rows.append(("feedback", f"{case_id}c", case_id, council, {
            "case_id": case_id, "kind": rng.choice(["compliment", "complaint"]), "received_on": day.isoformat(),
            "upheld": rng.random() < 0.5, "decided_on": (day + timedelta(days=20)).isoformat()}))
    if fields.get("outcome") == "completed" and rng.random() < 0.5:
        rows.append(("survey", f"{case_id}s", case_id, council, {
            "case_id": case_id, "answered_on": fields["outcome_on"],
            "answers": {t: rng.choice(ms.ratings) for t in ms.survey_themes}}))
    return [(e, i, c, k, json.dumps(f, separators=(",", ":"))) for e, i, c, k, f in rows]


def fill(db: CentralDatabase, cases: int, seed: int = 1) -> int:
    rng = random.Random(seed)
    total = 0
    for start in range(0, cases, 2000):
        rows = [row for n in range(start, min(start + 2000, cases)) for row in _case(rng, n)]
        with db.transaction(feed=True) as tx:
            tx.executemany(RECORD, rows)
            tx.executemany(FEED, [(e, i, c, k) for e, i, c, k, _f in rows])
        total += len(rows)
    return total


def touch(db: CentralDatabase, count: int) -> None:
    """``count`` cases changed since the last report (a new feed entry each)."""
    with db.transaction(feed=True) as tx:
        tx.executemany(FEED, [("case", f"case{n:08d}", f"case{n:08d}", COUNCILS[n % 5]) for n in range(0, count)])


def timed(what: str, fn, runs: int = 1) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    best, median = min(times), sorted(times)[len(times) // 2]
    print(f"  {what}: median {median:.3f} s, best {best:.3f} s ({runs} runs)", flush=True)
    return median


def bench(label: str, url: str, cases: int) -> None:
    print(f"{label}: {cases:,} cases", flush=True)
    db = CentralDatabase(url, key="benchmark office key, synthetic" if url.startswith("sqlite") else None)
    began = time.perf_counter()
    rows = fill(db, cases)
    print(f"  wrote {rows:,} rows in {time.perf_counter() - began:.1f} s", flush=True)
    timed("first derivation of every case's facts", lambda: measures.refresh(db))
    quarter = parse_quarter("2026/27-Q3")
    report = measures.report(db, quarter)
    print(f"  KPM 1 {report['measures']['KPM 1']['total']}, KPM 6 {report['measures']['KPM 6']['total']}, "
          f"KPM 10 {report['measures']['KPM 10']['total']} days", flush=True)
    timed("a quarter's report, all councils (facts current)", lambda: measures.report(db, quarter), runs=5)
    timed("a quarter's report, one council", lambda: measures.report(db, quarter, ["WDC"]), runs=5)

    def after_changes() -> None:
        touch(db, 1000)
        measures.report(db, quarter)

    timed("the report after 1,000 cases changed (catching up included)", after_changes, runs=3)
    timed("the PDF's four quarters", lambda: [measures.report(db, q, fresh=False)
                                              for q in previous_quarters(quarter, 4)], runs=3)
    timed("drill-down: KPM 6 references", lambda: measures.drill(db, "KPM 6", quarter, list(COUNCILS)), runs=5)
    db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--postgres", help="a PostgreSQL URL (an empty database); default a throwaway cluster")
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        if args.only != "postgresql":
            bench("SQLite", f"sqlite:///{Path(folder) / 'office.sqlite'}", args.cases)
        if args.only == "sqlite":
            return
        if args.postgres:
            bench("PostgreSQL", args.postgres, args.cases)
            return
        from sync_server import postgres_cluster

        cluster = postgres_cluster()
        base = next(cluster)
        try:
            import psycopg

            with psycopg.connect(base, autocommit=True) as conn:
                conn.execute("CREATE DATABASE measures_bench")
            bench("PostgreSQL", base.rsplit("/", 1)[0] + "/measures_bench", args.cases)
        finally:
            cluster.close()


if __name__ == "__main__":
    main()
