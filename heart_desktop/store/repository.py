"""The one write path for syncable rows: insert, update and tombstone, each journalled.

Every write, inside the caller's transaction (or its own), bumps ``rev``, stamps
``updated_at`` with the hybrid logical clock and ``updated_by`` with the officer, and appends
exactly one journal entry holding only the fields that changed. An update that changes
nothing writes nothing. JSON objects named in ``patch_fields`` (form answers) are journalled
key by key, so a keystroke's entry is small and sync can merge answers field by field.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from heart_desktop.store.errors import NotFoundError, StoreError
from heart_desktop.store.schema import SYNC_FIELDS, Entity, decode, encode, journal_value

if TYPE_CHECKING:
    from heart_desktop.store.database import Store


def new_id() -> str:
    return str(uuid.uuid4())


class Repository:
    """Reads and journalled writes for one entity."""

    def __init__(self, store: Store, entity: Entity) -> None:
        self.store = store
        self.entity = entity
        self._columns = (*SYNC_FIELDS, *entity.fields)
        self._select = f"SELECT {', '.join(self._columns)} FROM {entity.table}"

    # --- reading -------------------------------------------------------------------------------

    def _row(self, row: tuple[Any, ...]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, value in zip(self._columns, row, strict=True):
            kind = self.entity.fields.get(name)
            out[name] = decode(kind, value) if kind else (bool(value) if name == "deleted" else value)
        return out

    def get(self, id: str, include_deleted: bool = False) -> dict[str, Any]:
        row = self.store.conn.execute(f"{self._select} WHERE id = ?", (id,)).fetchone()
        if row is None or (row[4] and not include_deleted):
            raise NotFoundError(f"no {self.entity.name} {id}")
        return self._row(row)

    def find(self, id: str) -> dict[str, Any] | None:
        try:
            return self.get(id)
        except NotFoundError:
            return None

    def where(self, sql: str = "1", params: tuple[Any, ...] = (), include_deleted: bool = False,
              order_by: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        live = "" if include_deleted else " AND deleted = 0"
        tail = f" LIMIT {int(limit)}" if limit is not None else ""
        rows = self.store.conn.execute(
            f"{self._select} WHERE ({sql}){live} ORDER BY {order_by or self.entity.order_by}{tail}", params)
        return [self._row(r) for r in rows]

    def for_case(self, case_id: str, include_deleted: bool = False) -> list[dict[str, Any]]:
        return self.where("case_id = ?", (case_id,), include_deleted)

    # --- writing -------------------------------------------------------------------------------

    def insert(self, values: Mapping[str, Any]) -> str:
        """A new row; returns its id (a UUID unless given)."""
        fields = self.entity.fields
        unknown = set(values) - set(fields) - {"id"}
        if unknown:
            raise StoreError(f"{self.entity.name} has no field {sorted(unknown)[0]!r}")
        missing = [f for f in self.entity.required if values.get(f) in (None, "")]
        if missing:
            raise StoreError(f"{self.entity.name} needs {missing[0]}")
        id = str(values.get("id") or new_id())
        encoded = {k: encode(fields[k], v) for k, v in values.items() if k != "id"}
        with self.store.transaction() as tx:
            stamp = self.store.clock.now()
            row = {"id": id, "rev": 1, "updated_at": stamp, "updated_by": self.store.officer, "deleted": 0, **encoded}
            names = ", ".join(row)
            marks = ", ".join("?" for _ in row)
            self.store.conn.execute(f"INSERT INTO {self.entity.table} ({names}) VALUES ({marks})", tuple(row.values()))
            changes = {k: journal_value(fields[k], v) for k, v in encoded.items()
                       if k not in self.entity.local_fields}
            tx.journal(self.entity.name, id, "insert", 0, 1, stamp, changes)
            tx.touch(self.entity.name, self._case_of(id, values))
            self._after_write(id, encoded)
        return id

    def update(self, id: str, changes: Mapping[str, Any]) -> int:
        """Change some fields; returns the new ``rev`` (unchanged if nothing differed)."""
        fields = self.entity.fields
        unknown = set(changes) - set(fields)
        if unknown:
            raise StoreError(f"{self.entity.name} has no field {sorted(unknown)[0]!r}")
        with self.store.transaction() as tx:
            current = self.store.conn.execute(
                f"SELECT rev, deleted, {', '.join(changes) or 'id'} FROM {self.entity.table} WHERE id = ?", (id,)
            ).fetchone()
            if current is None or current[1]:
                raise NotFoundError(f"no {self.entity.name} {id}")
            rev = int(current[0])
            before = dict(zip(changes, current[2:], strict=True))
            encoded = {k: encode(fields[k], v) for k, v in changes.items()}
            differing = {k: v for k, v in encoded.items() if before[k] != v}
            if not differing:
                return rev
            self._check_update(id, differing)
            journalled = {k: self._journal_change(k, before[k], v) for k, v in differing.items()
                          if k not in self.entity.local_fields}
            tx.touch(self.entity.name, self._case_of(id, changes))
            if not journalled:  # only derived columns changed: no rev, no journal
                self._set(id, differing)
                return rev
            stamp = self.store.clock.now()
            self._set(id, {**differing, "rev": rev + 1, "updated_at": stamp, "updated_by": self.store.officer})
            tx.journal(self.entity.name, id, "update", rev, rev + 1, stamp, journalled)
            self._after_write(id, differing)
        return rev + 1

    def delete(self, id: str) -> int:
        """Tombstone: the row stays (sync must tell the server) but reads no longer see it."""
        with self.store.transaction() as tx:
            row = self.store.conn.execute(f"SELECT rev, deleted FROM {self.entity.table} WHERE id = ?",
                                          (id,)).fetchone()
            if row is None or row[1]:
                raise NotFoundError(f"no {self.entity.name} {id}")
            rev = int(row[0])
            stamp = self.store.clock.now()
            self._set(id, {"deleted": 1, "rev": rev + 1, "updated_at": stamp, "updated_by": self.store.officer})
            tx.journal(self.entity.name, id, "delete", rev, rev + 1, stamp, {"deleted": True})
            tx.touch(self.entity.name, self._case_of(id, {}))
            self._after_write(id, {"deleted": 1})
        return rev + 1

    def _case_of(self, id: str, values: Mapping[str, Any]) -> str | None:
        """The case a row belongs to, for the commit's announcement."""
        if self.entity.name == "case":
            return id
        if "case_id" not in self.entity.fields:
            return None
        if values.get("case_id"):
            return str(values["case_id"])
        row = self.store.conn.execute(f"SELECT case_id FROM {self.entity.table} WHERE id = ?", (id,)).fetchone()
        return str(row[0]) if row and row[0] else None

    def _set(self, id: str, values: Mapping[str, Any]) -> None:
        assignments = ", ".join(f"{k} = ?" for k in values)
        self.store.conn.execute(f"UPDATE {self.entity.table} SET {assignments} WHERE id = ?", (*values.values(), id))

    def _journal_change(self, name: str, before: Any, after: Any) -> Any:
        kind = self.entity.fields[name]
        if name not in self.entity.patch_fields:
            return journal_value(kind, after)
        old = journal_value(kind, before) or {}
        new = journal_value(kind, after) or {}
        return {"patch": {k: v for k, v in new.items() if k not in old or old[k] != v},
                "unset": sorted(k for k in old if k not in new)}

    # --- hooks ---------------------------------------------------------------------------------

    def _check_update(self, id: str, changes: Mapping[str, Any]) -> None:
        """Refuse an update before it is written (immutable forms)."""

    def _after_write(self, id: str, changes: Mapping[str, Any]) -> None:
        """Keep derived data (search index, caseload columns) in step, in the same transaction."""
