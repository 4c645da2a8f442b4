"""Time the application pack: a full pack with signatures and 4 photos, and a 50-item schedule.

    .venv/bin/python bench/pack_bench.py [--runs 10]

Prints the median and worst build time (case read, layout and PDF bytes; signing also stores
the frozen bytes), the same pack in large print and as the HTML copy, printing the signed pack to
a PDF file (budget: under 2 s and 2 MB), and pages per second for the schedule of works alone.
Budget (README): a full pack with signatures and 4 photos under 1 s on a 2-core laptop-class
machine. The figures are wall-clock times; the machine's load average is printed with them, as
a shared machine makes them longer.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from heart_desktop.documents.model import from_store
from heart_desktop.documents.pack import build_pack
from heart_desktop.documents.signing import sign_pack
from heart_desktop.store import Store

STROKES = [[[0.05 + i / 40, 0.5 + (0.2 if i % 2 else -0.2)] for i in range(30)], [[0.5, 0.4], [0.9, 0.6]]]


def _photo(shade: int) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (1600, 1200), (shade, 110, 200)).save(out, format="JPEG", quality=85)
    return out.getvalue()


def make_case(store: Store, works: int, photos: int) -> str:
    with store.transaction():
        case_id = store.cases.create("WDC", assigned_officer="Bench Officer", application_on=date(2026, 2, 20))
        store.people.insert({"case_id": case_id, "given_name": "Bench", "family_name": "Customer",
                             "is_applicant": True, "is_disabled_person": True, "date_of_birth": date(1950, 1, 1)})
        store.properties.insert({"case_id": case_id, "address_line1": "1 Bench Road", "town": "Warwick",
                                 "postcode": "CV34 4AA", "tenure": "owner", "years_owned": 10})
        for i in range(works):
            store.works.insert({"case_id": case_id, "position": i, "location": f"Room {i % 7 + 1}",
                                "description": f"Item {i + 1}: supply and fit adaptation with making good",
                                "quantity": "1", "unit": "item", "rate_pence": 95_000, "vat_percent": "20"})
        store.hazards.rate(case_id, "falls_on_stairs", 32, [0, 10, 21.5, 68.5], date(2026, 2, 10))
    for i in range(photos):
        store.attachments.add(case_id, _photo(30 * i), caption=f"Photo {i + 1}")
    return case_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, \
            Store.open(Path(folder) / "bench.heartdb", "bench", create=True, kdf_iter=1000) as store:
        full = make_case(store, works=8, photos=4)
        signers = [{"role": role, "name": role, "signed_at": "2026-03-01T10:00:00", "strokes": STROKES}
                   for role in ("applicant", "officer")]
        build_pack(from_store(store, full))  # fonts and policy loaded once, as in the running app
        signed, pages = [], 0
        for _ in range(args.runs):
            started = time.perf_counter()
            row = sign_pack(store, full, signers)
            signed.append(time.perf_counter() - started)
            pages = row["size"]
        unsigned = []
        for _ in range(args.runs):
            started = time.perf_counter()
            built = build_pack(from_store(store, full))
            unsigned.append(time.perf_counter() - started)
        print(f"full pack, signatures and 4 photos ({built.pages} pages, {pages / 1024:.0f} KB): "
              f"signed and frozen median {statistics.median(signed) * 1000:.0f} ms, max {max(signed) * 1000:.0f} ms; "
              f"unsigned preview median {statistics.median(unsigned) * 1000:.0f} ms "
              f"(load average {os.getloadavg()[0]:.1f})")
        from heart_desktop.documents.pack import pack_html

        data = from_store(store, full).with_print_size("large")
        large, html = [], []
        for _ in range(args.runs):
            started = time.perf_counter()
            big = build_pack(data)
            large.append(time.perf_counter() - started)
            started = time.perf_counter()
            copy = pack_html(data)
            html.append(time.perf_counter() - started)
        print(f"the same pack in large print ({big.pages} pages, {len(big.pdf) / 1024:.0f} KB): median "
              f"{statistics.median(large) * 1000:.0f} ms; as the HTML copy ({len(copy) / 1024:.0f} KB, photos inside): "
              f"median {statistics.median(html) * 1000:.0f} ms")
        from heart_desktop.documents.print_output import PrintTarget, send

        frozen = sign_pack(store, full, signers)
        from heart_desktop.store.packs import Packs

        pdf = Packs(store).content(frozen["id"])
        printed, size, sent = [], 0, 0
        for run in range(args.runs):  # what "Print to file" does with the signed pack
            out = Path(folder) / f"printed-{run}.pdf"
            started = time.perf_counter()
            sent = send([pdf], PrintTarget(file=out))
            printed.append(time.perf_counter() - started)
            size = out.stat().st_size
        print(f"print the signed pack to a PDF file ({sent} pages, vectors): median "
              f"{statistics.median(printed) * 1000:.0f} ms, max {max(printed) * 1000:.0f} ms, {size / 1024:.0f} KB")
        schedule = make_case(store, works=50, photos=0)
        data = from_store(store, schedule)
        times, count = [], 0
        for _ in range(args.runs):
            started = time.perf_counter()
            works = build_pack(data, only=["works"])
            times.append(time.perf_counter() - started)
            count = works.pages
        median = statistics.median(times)
        print(f"50-item schedule of works: {count} pages in {median * 1000:.0f} ms median, "
              f"{count / median:.0f} pages/s")


if __name__ == "__main__":
    main()
