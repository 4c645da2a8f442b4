"""Sync benchmark: push and pull of N changes over loopback, against SQLite and PostgreSQL.

Run: .venv/bin/python bench/sync_bench.py --changes 10000 [--postgres postgresql://user@127.0.0.1:PORT/db]
(without --postgres a throwaway cluster is started, as the tests do, when PostgreSQL is installed)

One laptop writes N changes (cases with notes), pushes them (batches of 500), and a second laptop
pulls them; changes per second for each, for each database. Budget (DESIGN.md): 10,000 changes
pushed and pulled in under 10 s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "sync"))

from sync_server import Server

from heart_desktop.store import Store
from heart_desktop.sync.client import Progress, enrol, sync_once


def laptop(folder: Path, name: str, server: Server) -> Store:
    store = Store.open(folder / f"{name}.heartdb", "bench", officer="Bench", create=True, kdf_iter=1000)
    enrol(store, server.url, server.service.enrol_code("Bench"))
    return store


@contextmanager
def two_laptops(url: str, folder: Path, prefix: str) -> Iterator[tuple[Store, Store]]:
    """A server on 127.0.0.1 over ``url`` and two laptops enrolled for the same officer."""
    server = Server(url)
    server.start()
    try:
        server.service.add_officer("Bench", "HAO", ["WDC"])
        a, b = laptop(folder, f"{prefix}a", server), laptop(folder, f"{prefix}b", server)
        try:
            yield a, b
        finally:
            a.close()
            b.close()
    finally:
        server.stop()


def run(url: str, changes: int, folder: Path) -> str:
    with two_laptops(url, folder, "") as (a, b):
        with a.transaction():
            for i in range(changes // 2):
                case_id = a.cases.create("WDC", enquiry_on=date(2026, 11, 2))
                a.notes.add(case_id, f"note {i}")
        journalled = a.journal.count()
        marks: dict[str, float] = {}

        def progress(step: Progress) -> None:  # when the last batch was answered
            if step.stage == "Sending changes":
                marks["pushed"] = time.perf_counter()

        started = time.perf_counter()
        pushed, sync_s = timed(lambda: sync_once(a, progress=progress).pushed)
        push_s = marks["pushed"] - started
        pulled, pull_s = timed(lambda: sync_once(b).pulled)
    assert pushed == journalled and pulled == journalled
    return (f"{pushed} changes pushed in {push_s:.1f} s ({pushed / push_s:,.0f}/s; the whole sync, which also "
            f"takes the office's numbering back, {sync_s:.1f} s), pulled by another laptop in {pull_s:.1f} s "
            f"({pulled / pull_s:,.0f}/s)")


def files(url: str, megabytes: int, folder: Path) -> str:
    """Upload and fetch photos totalling about ``megabytes`` MB (random bytes: nothing compresses)."""
    with two_laptops(url, folder, "f") as (a, b):
        case_id = a.cases.create("WDC", enquiry_on=date(2026, 11, 2))
        size = 0
        for seed in range(megabytes // 2):
            data = random_png(seed)
            a.attachments.add(case_id, data, caption=f"photo {seed}")
            size += len(data)
        sent, up_s = timed(lambda: sync_once(a).files_sent)
        fetched, down_s = timed(lambda: sync_once(b).files_fetched)
    mb = size / 1e6
    return (f"{sent} photos, {mb:.0f} MB: upload {mb / up_s:.1f} MB/s, fetch {mb / down_s:.1f} MB/s "
            f"({fetched} fetched)")


def timed(step: Callable[[], int]) -> tuple[int, float]:
    """The step's count and the seconds it took."""
    started = time.perf_counter()
    count = step()
    return count, time.perf_counter() - started


def fresh_database(url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return url.rsplit("/", 1)[0] + f"/{name}"


def random_png(seed: int) -> bytes:
    import io
    import random

    from PIL import Image

    rng = random.Random(seed)
    image = Image.frombytes("RGB", (1000, 700), rng.randbytes(1000 * 700 * 3))
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=10_000)
    parser.add_argument("--postgres", help="a PostgreSQL URL; default: start a throwaway cluster")
    parser.add_argument("--megabytes", type=int, default=20, help="photos to send for the file figures")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        print(f"SQLite:     {run(f'sqlite:///{folder}/central.sqlite', args.changes, Path(folder) / 's')}")
        print(f"SQLite:     {files(f'sqlite:///{folder}/files.sqlite', args.megabytes, Path(folder) / 's')}")
    if args.postgres:
        with tempfile.TemporaryDirectory() as folder:
            print(f"PostgreSQL: {run(args.postgres, args.changes, Path(folder))}")
        return 0
    from sync_server import postgres_cluster

    cluster = postgres_cluster()
    url = next(cluster)
    try:
        with tempfile.TemporaryDirectory() as folder:
            print(f"PostgreSQL: {run(url, args.changes, Path(folder))}")
        with tempfile.TemporaryDirectory() as folder:
            # a database of its own, as SQLite has: a laptop's first sync would otherwise also pull
            # the 10,000 changes above, and that is not file transfer
            print(f"PostgreSQL: {files(fresh_database(url, 'files'), args.megabytes, Path(folder))}")
    finally:
        next(cluster, None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
