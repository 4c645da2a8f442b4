"""What each laptop may hold, now: the cases whose *current* council its officer covers.

Pull authorises every row by the council its case is in at the moment of the pull, not the one it
had when it was written, so a case moved away stops reaching its old council's laptops at once
(even one enrolled later that pulls the whole feed). When a case enters an officer's scope the
office sends the whole case, a snapshot of every row, then the feed goes on; when it leaves,
every laptop that holds it gets a ``remove``:

- a case moved between councils: a snapshot for the new council's laptops and a removal for the
  old council's (a laptop covering both keeps it);
- a council added to or taken from an officer: on the next pull of each of the officer's laptops,
  snapshots of every case of the added council and removals for every case of the one taken away,
  addressed to that laptop alone (``feed.target``);
- a new laptop starts from the beginning of the feed, which already holds every in-scope case.

The digest covers exactly the rows a laptop should hold, so a laptop that holds too much or too
little finds out and repairs itself.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from heart_desktop.central.push import FEED_COLUMNS, REMOVE, removal_entry, snapshot_entry
from heart_desktop.sync.protocol import MAX_PAGE, OFFICE_ONLY, canonical, row_digest

if TYPE_CHECKING:
    from heart_desktop.central.db import CentralDatabase, Transaction
    from heart_desktop.central.service import Device



def office_hlc() -> str:
    """A clock stamp in the laptops' form for entries the office itself writes (snapshots, removals)."""
    now = datetime.now(UTC)
    return f"{now:%Y-%m-%dT%H:%M:%S}.{now.microsecond // 1000:03d}Z-0000-office"


def _marks(items: list[str] | tuple[str, ...]) -> str:
    return ", ".join("?" for _ in items)


def snapshot_rows(tx: Transaction, case_ids: list[str], council: str, device: Device, target: str | None,
                  hlc: str = "") -> list[tuple[Any, ...]]:
    """Feed entries that carry every row of these cases whole (the case first)."""
    rows: list[tuple[Any, ...]] = []
    for start in range(0, len(case_ids), 400):
        chunk = case_ids[start:start + 400]
        marks = _marks(chunk)
        found = tx.all(f"SELECT entity, id, case_id, rev, fields, hlc FROM records WHERE (entity = 'case' AND id IN "
                       f"({marks})) OR (entity != 'case' AND case_id IN ({marks})) "
                       "ORDER BY CASE WHEN entity = 'case' THEN 0 ELSE 1 END, entity, id", [*chunk, *chunk])
        for entity, row_id, case_id, rev, fields, row_hlc in found:
            if entity in OFFICE_ONLY:
                continue
            rows.append(snapshot_entry(entity, row_id, case_id, council, int(rev), fields, row_hlc or hlc, device,
                                       target))
    return rows


def removal_rows(case_ids: list[tuple[str, str]], council: str, device: Device, hlc: str,
                 target: str | None) -> list[tuple[Any, ...]]:
    """Feed entries telling laptops of ``council`` to take these (case id, new council) off."""
    return [removal_entry(case_id, council, to, hlc, device, target) for case_id, to in case_ids]


def rescope(db: CentralDatabase, device: Device) -> None:
    """If the officer's councils changed since this laptop was last served, send it the cases that
    entered its scope whole and removals for those that left; then remember what it is served."""
    wanted = sorted(device.councils)
    with db.transaction() as tx:
        row = tx.one("SELECT scope FROM devices WHERE id = ?", (device.id,))
    served = json.loads(row[0]) if row and row[0] else None
    if served == wanted:
        return
    now = office_hlc()
    with db.transaction(feed=True) as tx:
        row = tx.one("SELECT scope FROM devices WHERE id = ?", (device.id,))
        served = json.loads(row[0]) if row and row[0] else None
        if served is not None and served != wanted:
            added = sorted(set(wanted) - set(served))
            taken = sorted(set(served) - set(wanted))
            entries: list[tuple[Any, ...]] = []
            for council in added:
                ids = [r[0] for r in tx.all("SELECT id FROM records WHERE entity = 'case' AND council = ? ORDER BY id",
                                            (council,))]
                entries += snapshot_rows(tx, ids, council, device, device.id, now)
            if taken:
                leaving = tx.all(f"SELECT id, council FROM records WHERE entity = 'case' AND council IN "
                                 f"({_marks(taken)}) ORDER BY id", taken)
                entries += removal_rows([(r[0], r[1]) for r in leaving], taken[0], device, now, device.id)
            tx.insert_rows("feed", FEED_COLUMNS, entries)
        tx.execute("UPDATE devices SET scope = ? WHERE id = ?", (canonical(wanted), device.id))


def pull(db: CentralDatabase, device: Device, after: int, limit: int, max_bytes: int) -> dict[str, Any]:
    """The next page of the feed this laptop may see: rows of cases now in its councils, removals
    addressed to its councils, and entries addressed to it alone; at most ``limit`` rows and about
    ``max_bytes`` of fields (never less than one row)."""
    limit = max(1, min(limit, MAX_PAGE))
    councils = sorted(device.councils)
    marks = _marks(councils)
    with db.transaction() as tx:
        # the head first: every entry up to it is committed (entries commit in sequence order), so a
        # page read after it cannot skip one committed late
        head = int((tx.one("SELECT max(seq) FROM feed") or (0,))[0] or 0)
        rows = tx.all(
            "SELECT f.seq, f.entity, f.id, f.case_id, COALESCE(c.council, f.council), f.op, f.base_rev, f.rev, f.hlc, "
            "f.officer, f.fields FROM feed f LEFT JOIN records c ON c.entity = 'case' AND c.id = f.case_id "
            "WHERE f.seq > ? AND f.seq <= ? AND (f.target = ? OR (f.target IS NULL AND ("
            f"(f.op = 'remove' AND f.council IN ({marks})) OR (f.op != 'remove' AND c.council IN ({marks})))))"
            " ORDER BY f.seq LIMIT ?", (after, head, device.id, *councils, *councils, limit + 1))
    more = len(rows) > limit
    rows = rows[:limit]
    size, cut = 0, len(rows)
    for index, row in enumerate(rows):
        size += len(row[10])
        if size > max_bytes and index > 0:
            cut, more = index, True
            break
    rows = rows[:cut]
    # the office keeps these rows to itself (the cursor still moves past them)
    changes = [{"seq": r[0], "entity": r[1], "id": r[2], "case_id": r[3], "council": r[4], "op": r[5],
                "base_rev": r[6], "rev": r[7], "hlc": r[8], "officer": r[9], "fields": json.loads(r[10])}
               for r in rows if r[1] not in OFFICE_ONLY]
    # a case that moved between two councils this officer covers has not left them
    changes = [c for c in changes if not (c["op"] == REMOVE and c["fields"].get("to") in device.councils)]
    cursor = rows[-1][0] if more else max(after, head)
    return {"changes": changes, "cursor": cursor, "more": more, "head": head}


def digest(db: CentralDatabase, device: Device) -> dict[str, Any]:
    """A fingerprint of every row this laptop should hold (entity, id and revision)."""
    councils = sorted(device.councils)
    with db.transaction() as tx:
        rows = [r for r in tx.all(f"SELECT entity, id, rev FROM records WHERE council IN ({_marks(councils)})",
                                  councils) if r[0] not in OFFICE_ONLY]
    return {"digest": row_digest(rows), "count": len(rows), "councils": councils}
