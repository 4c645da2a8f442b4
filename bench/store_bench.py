"""Store benchmark: create N demo cases, then time form saves and full-text searches.

Run: .venv/bin/python bench/store_bench.py --cases 50000
Prints the insert rate, p50/p95 of a draft form save (one transaction, journalled, durable with
synchronous=FULL), p50/p95 of FTS searches (prefixes, names, postcodes, references), the file
size and resident memory. Budgets (DESIGN.md): form save p95 < 20 ms, search p95 < 30 ms.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from heart_desktop.store import Store
from heart_desktop.store.demo import generate


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--saves", type=int, default=300)
    parser.add_argument("--searches", type=int, default=40, help="rounds over the query list")
    parser.add_argument("--kdf-iter", type=int, default=None, help="for quick runs only; default is SQLCipher's")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.heartdb"
        store = Store.open(path, "bench passphrase", create=True, officer="Bench", kdf_iter=args.kdf_iter)
        started = time.perf_counter()
        generate(store, args.cases, seed=1)
        seconds = time.perf_counter() - started
        rows = store.journal.count()
        print(f"created {args.cases} cases ({rows} journalled rows) in {seconds:.1f} s: "
              f"{args.cases / seconds:,.0f} cases/s, {rows / seconds:,.0f} rows/s")
        store.close()
        started = time.perf_counter()
        store = Store.open(path, "bench passphrase", officer="Bench", kdf_iter=args.kdf_iter)
        print(f"open (key derivation + quick_check): {time.perf_counter() - started:.2f} s")
        started = time.perf_counter()
        store.close()
        store = Store.open(path, "bench passphrase", officer="Bench", kdf_iter=args.kdf_iter, check="auto")
        print(f"open after a clean close (check='auto'): {time.perf_counter() - started:.2f} s")
        store.conn.close()  # the process dies: no clean close is recorded
        started = time.perf_counter()
        store = Store.open(path, "bench passphrase", officer="Bench", kdf_iter=args.kdf_iter, check="background")
        opened = time.perf_counter() - started
        answer: list[object] = []
        store.check_in_background(answer.append).join()
        checked = time.perf_counter() - started
        print(f"open after a crash, as the app opens (check='background'): {opened:.2f} s to the open store; "
              f"the whole-file check done in the background {checked:.2f} s after the start ({answer[0] or 'sound'})")

        rng = random.Random(2)
        case_ids = [r[0] for r in store.conn.execute("SELECT id FROM cases ORDER BY random() LIMIT 50")]
        forms = [store.forms.start(c, "home_safety_check", "1") for c in case_ids[:10]]
        answers: dict[str, object] = {f"q{i:02d}": "" for i in range(60)}
        answers["hazards"] = [{"hazard": "falls_on_stairs", "likelihood": 100, "harm": [1.0, 4.6, 10.0, 84.4]}] * 5
        saves = []
        for i in range(args.saves):
            answers = dict(answers)
            key = f"q{rng.randrange(60):02d}"
            answers[key] = str(answers[key]) + rng.choice("abcdefghij klmnop")  # one more keystroke
            answers["notes"] = "Customer manages stairs with difficulty; " * (1 + i % 20)
            began = time.perf_counter()
            store.forms.save_draft(forms[i % len(forms)], answers)
            saves.append((time.perf_counter() - began) * 1000)
        print(f"form draft save: p50 {statistics.median(saves):.2f} ms, p95 {percentile(saves, 95):.2f} ms "
              f"(n={len(saves)}, synchronous=FULL)")

        sample = store.conn.execute(
            "SELECT reference, customer, postcode FROM cases ORDER BY random() LIMIT 20").fetchall()
        queries = ["smi", "Smith", "pat", "jo", "CV34", "cv34 4", "CV21", "B49", "NBBC", "mill road", "ken",
                   "Margaret Sm", "cv3", "w"]
        for reference, customer, postcode in sample[:6]:
            queries += [reference, customer.split()[-1][:4], postcode, postcode.replace(" ", "")]
        timings = []
        for _ in range(args.searches):
            for query in queries:
                began = time.perf_counter()
                store.cases.search(query, limit=50)
                timings.append((time.perf_counter() - began) * 1000)
        print(f"FTS search (limit 50): p50 {statistics.median(timings):.2f} ms, p95 {percentile(timings, 95):.2f} ms, "
              f"max {max(timings):.2f} ms (n={len(timings)}, {len(queries)} queries)")
        paging = []
        for sort in ("default", "customer", "postcode", "stage", "next_visit"):
            for offset in (0, 10_000, max(0, args.cases - 200)):
                began = time.perf_counter()
                store.cases.page(offset, 200, sort=sort)
                paging.append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        store.cases.count({"council": "WDC"})
        counted = (time.perf_counter() - began) * 1000
        print(f"caseload page of 200: p50 {statistics.median(paging):.2f} ms, max {max(paging):.2f} ms; "
              f"filtered count {counted:.2f} ms")
        store.close()
        size = path.stat().st_size
        print(f"database file: {size / 1_048_576:.1f} MB ({size / max(args.cases, 1) / 1024:.1f} KB per case)")
        print(f"resident memory: {rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
