"""Bulk inserts into the store: sqlite-utils' ``insert_all`` against ``executemany``.

Run: .venv/bin/python bench/table_layer_bench.py --rows 30000 --runs 3

Both write the same note rows into an open SQLCipher store inside one store transaction; CPU
time of this process is printed (the machine's other load does not move it). The store keeps
``executemany`` for its bulk writes (the demo generator, the search index) because of this
figure; sqlite-utils writes the migrations' table changes (``store.tables``).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path


def main() -> int:
    from heart_desktop.store import Store
    from heart_desktop.store.schema import BY_NAME, SYNC_FIELDS
    from heart_desktop.store.tables import tables

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    columns = (*SYNC_FIELDS, *BY_NAME["note"].fields)
    sql = f"INSERT INTO notes ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
    times: dict[str, list[float]] = {"executemany": [], "insert_all": []}
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "bench.heartdb", "bench", create=True, kdf_iter=1000, synchronous="OFF")
        case_id = store.cases.create("WDC")
        for run in range(args.runs):
            for way in times:
                rows = [{"id": f"{way}-{run}-{i}", "rev": 1, "updated_at": "0", "updated_by": "bench", "deleted": 0,
                         "case_id": case_id, "body": "Rang the customer about the visit. " * 3, "author": "bench",
                         "written_at": "2026-11-30T10:00:00"} for i in range(args.rows)]
                started = time.process_time()
                with store.transaction():
                    if way == "executemany":
                        store.conn.executemany(sql, [tuple(row.get(c) for c in columns) for row in rows])
                    else:
                        tables(store.conn)["notes"].insert_all(rows, batch_size=500)
                times[way].append(time.process_time() - started)
        store.close()
    for way, seconds in times.items():
        median = statistics.median(seconds)
        print(f"{way:12} {median:6.3f} s CPU for {args.rows:,} rows ({args.rows / median:,.0f} rows/s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
