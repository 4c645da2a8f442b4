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

Least data on the laptop (issue 20): a laptop holds the cases of its officer's councils that are
open or closed within the laptop window (``laptop_window_days`` per council in
resources/policy/retention.toml, or the office's ``OfficeSettings.laptop_window_days`` for every
council). Rows of a case closed before the window are not sent, and each laptop that may hold one
(it was enrolled before the case left the window) gets a removal addressed to it alone, ``to``
``"window"``; the office keeps the case. A laptop removes it as any removal (``remove_case``).

The digest covers exactly the rows a laptop should hold, so a laptop that holds too much or too
little finds out and repairs itself.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from heart_desktop.central.push import FEED_COLUMNS, REMOVE, removal_entry, snapshot_entry
from heart_desktop.domain.retention import laptop_window_days
from heart_desktop.sync.protocol import MAX_PAGE, OFFICE_ONLY, canonical, row_digest

WINDOW = "window"  # a removal's ``to``: the case closed before the laptop window (the office keeps it)

if TYPE_CHECKING:
    from heart_desktop.central.db import CentralDatabase, Transaction
    from heart_desktop.central.service import Device



def office_hlc() -> str:
    """A clock stamp in the laptops' form for entries the office itself writes (snapshots, removals)."""
    now = datetime.now(UTC)
    return f"{now:%Y-%m-%dT%H:%M:%S}.{now.microsecond // 1000:03d}Z-0000-office"


def _marks(items: list[str] | tuple[str, ...]) -> str:
    return ", ".join("?" for _ in items)


@dataclass(frozen=True)
class Window:
    """The laptop window on a day: per council, how many days a closed case stays on laptops, and
    the first closing date still held (a case closed before it leaves)."""

    days: dict[str, int]
    today: date

    @classmethod
    def on(cls, councils: Iterable[str], today: date, override_days: int | None = None) -> Window:
        return cls({c: int(override_days) if override_days is not None else laptop_window_days(c)
                    for c in sorted(councils)}, today)

    def cutoff(self, council: str) -> str:
        return (self.today - timedelta(days=self.days[council])).isoformat()

    def aged(self, kind: str, alias: str = "c") -> tuple[str, list[Any]]:
        """SQL true when the case row ``alias`` closed before its council's window, with its
        parameters (a case with no outcome is open and never aged)."""
        if not self.days:
            return "1 = 0", []
        outcome = _json_text(kind, alias, "outcome")
        closed = f"substr({_json_text(kind, alias, 'outcome_on')}, 1, 10)"
        terms, params = [], []
        for council in self.days:
            terms.append(f"({alias}.council = ? AND {closed} < ?)")
            params += [council, self.cutoff(council)]
        return f"({outcome} IS NOT NULL AND {closed} IS NOT NULL AND ({' OR '.join(terms)}))", params


def _json_text(kind: str, alias: str, name: str) -> str:
    """A top-level field of a row's JSON ``fields`` as text, in the database's own dialect."""
    if kind == "postgresql":
        return f"(({alias}.fields)::jsonb ->> '{name}')"
    return f"json_extract({alias}.fields, '$.{name}')"


def rewindow(db: CentralDatabase, device: Device, window: Window) -> None:
    """Address a removal to this laptop, once, for each case of its councils that closed before the
    window and that it may hold: the case left the window after the laptop was enrolled, or was
    written since (a case closed with an earlier date); any other it was never sent."""
    councils = sorted(device.councils)
    if not councils:
        return
    aged, params = window.aged(db.kind)
    closed = f"substr({_json_text(db.kind, 'c', 'outcome_on')}, 1, 10)"
    sent_fields = canonical({"to": WINDOW})
    with db.transaction() as tx:
        enrolled = tx.one("SELECT enrolled_at FROM devices WHERE id = ?", (device.id,))
        since = date.fromisoformat(str(enrolled[0])[:10]) if enrolled and enrolled[0] else date.min
        held, held_params = [], []
        for council in councils:
            left = since - timedelta(days=window.days[council]) if since > date.min else date.min
            held.append(f"(c.council = ? AND ({closed} >= ? OR substr(c.hlc, 1, 10) >= ?))")
            held_params += [council, left.isoformat(), since.isoformat()]
        due = tx.all(f"SELECT c.id, c.council FROM records c WHERE c.entity = 'case' AND c.council IN "
                     f"({_marks(councils)}) AND {aged} AND ({' OR '.join(held)}) AND c.id NOT IN (SELECT case_id "
                     f"FROM feed WHERE target = ? AND op = '{REMOVE}' AND fields = ?) ORDER BY c.id",
                     (*councils, *params, *held_params, device.id, sent_fields))
    if not due:
        return
    now = office_hlc()
    with db.transaction(feed=True) as tx:
        again = {r[0] for r in tx.all_in(f"SELECT case_id FROM feed WHERE target = ? AND op = '{REMOVE}' AND "
                                         "fields = ? AND case_id {values}", [r[0] for r in due],
                                         (device.id, sent_fields))}
        tx.insert_rows("feed", FEED_COLUMNS, [removal_entry(case_id, council, WINDOW, now, device, device.id)
                                              for case_id, council in due if case_id not in again])


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


def rescope(db: CentralDatabase, device: Device, window: Window | None = None) -> None:
    """If the officer's councils changed since this laptop was last served, send it the cases that
    entered its scope whole (those in the laptop window) and removals for those that left; then
    remember what it is served."""
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
            aged, aged_params = window.aged(db.kind) if window else ("1 = 0", [])
            for council in added:
                ids = [r[0] for r in tx.all(f"SELECT id FROM records c WHERE entity = 'case' AND council = ? AND NOT "
                                            f"{aged} ORDER BY id", (council, *aged_params))]
                entries += snapshot_rows(tx, ids, council, device, device.id, now)
            if taken:
                leaving = tx.all(f"SELECT id, council FROM records WHERE entity = 'case' AND council IN "
                                 f"({_marks(taken)}) ORDER BY id", taken)
                entries += removal_rows([(r[0], r[1]) for r in leaving], taken[0], device, now, device.id)
            tx.insert_rows("feed", FEED_COLUMNS, entries)
        tx.execute("UPDATE devices SET scope = ? WHERE id = ?", (canonical(wanted), device.id))


def pull(db: CentralDatabase, device: Device, after: int, limit: int, max_bytes: int,
         window: Window | None = None) -> dict[str, Any]:
    """The next page of the feed this laptop may see: rows of cases now in its councils and in the
    laptop window, removals addressed to its councils, and entries addressed to it alone; at most
    ``limit`` rows and about ``max_bytes`` of fields (never less than one row)."""
    limit = max(1, min(limit, MAX_PAGE))
    councils = sorted(device.councils)
    marks = _marks(councils)
    aged, aged_params = window.aged(db.kind) if window else ("1 = 0", [])
    with db.transaction() as tx:
        # the head first: every entry up to it is committed (entries commit in sequence order), so a
        # page read after it cannot skip one committed late
        head = int((tx.one("SELECT max(seq) FROM feed") or (0,))[0] or 0)
        rows = tx.all(
            "SELECT f.seq, f.entity, f.id, f.case_id, COALESCE(c.council, f.council), f.op, f.base_rev, f.rev, f.hlc, "
            "f.officer, f.fields FROM feed f LEFT JOIN records c ON c.entity = 'case' AND c.id = f.case_id "
            "WHERE f.seq > ? AND f.seq <= ? AND (f.op = 'remove' OR c.id IS NULL OR NOT "
            f"{aged}) AND (f.target = ? OR (f.target IS NULL AND ("
            f"(f.op = 'remove' AND f.council IN ({marks})) OR (f.op != 'remove' AND c.council IN ({marks})))))"
            " ORDER BY f.seq LIMIT ?", (after, head, *aged_params, device.id, *councils, *councils, limit + 1))
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
    page: dict[str, Any] = {"changes": changes, "cursor": cursor, "more": more, "head": head}
    if window is not None:  # what the laptop holds, so the caseload can say why
        page["window_days"] = {c: window.days[c] for c in councils if c in window.days}
    return page


def digest(db: CentralDatabase, device: Device, window: Window | None = None) -> dict[str, Any]:
    """A fingerprint of every row this laptop should hold (entity, id and revision): of the cases in
    its councils and in the laptop window."""
    councils = sorted(device.councils)
    aged, aged_params = window.aged(db.kind) if window else ("1 = 0", [])
    with db.transaction() as tx:
        rows = [r for r in tx.all(
            f"SELECT r.entity, r.id, r.rev FROM records r WHERE r.council IN ({_marks(councils)}) AND NOT "
            f"EXISTS (SELECT 1 FROM records c WHERE c.entity = 'case' AND c.id = (CASE WHEN r.entity = "
            f"'case' THEN r.id ELSE r.case_id END) AND {aged})", (*councils, *aged_params)) if r[0] not in OFFICE_ONLY]
    return {"digest": row_digest(rows), "count": len(rows), "councils": councils}
