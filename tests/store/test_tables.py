"""The table layer (sqlite-utils over the SQLCipher connection) keeps to the store's transactions:
a table made and changed inside one is undone with it, so a migration stays all or nothing."""

from __future__ import annotations

from pathlib import Path

from heart_desktop.store import Store
from heart_desktop.store.tables import tables


def test_table_changes_roll_back_with_the_store_transaction(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.heartdb", "tables test", create=True, kdf_iter=1000)
    try:
        db = tables(store.conn)
        try:
            with store.transaction():
                db["contacts_test"].create({"id": str, "at": str}, pk="id")
                db["contacts_test"].insert_all([{"id": "a", "at": "2026-11-30"}])
                db["contacts_test"].transform(types={"at": int})
                db["contacts_test"].add_column("summary", str)
                assert db["contacts_test"].exists()
                raise RuntimeError("the migration fails after its table changes")
        except RuntimeError:
            pass
        assert not db["contacts_test"].exists()
        assert not store.conn.in_transaction
        with store.transaction():
            db["contacts_test"].create({"id": str, "at": str}, pk="id")
        assert db["contacts_test"].exists()
        assert store.conn.execute("PRAGMA recursive_triggers").fetchone()[0] == 0  # settings left alone
    finally:
        store.close()
