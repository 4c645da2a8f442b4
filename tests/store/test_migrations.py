"""Migrations: from every earlier schema version to the latest, data kept; each one atomic."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from heart_desktop.store import Store, connection, migrations

PASSPHRASE = "correct horse battery staple"

# Rows a store at each version could hold, written with that version's columns (raw SQL).
SEED_AT: dict[int, list[str]] = {
    1: [
        "INSERT INTO cases (id, updated_at, updated_by, reference, council, stage, customer, postcode) "
        "VALUES ('c1', '2026-01-01T00:00:00.000Z-0000-old', 'old', 'WDC/26/00001', 'WDC', 'enquiry', "
        "'Edna Fairweather', 'CV34 5XY')",
        "INSERT INTO people (id, updated_at, updated_by, case_id, given_name, family_name, is_applicant) "
        "VALUES ('p1', '2026-01-01T00:00:00.000Z-0001-old', 'old', 'c1', 'Edna', 'Fairweather', 1)",
        "INSERT INTO properties (id, updated_at, updated_by, case_id, address_line1, town, postcode) "
        "VALUES ('a1', '2026-01-01T00:00:00.000Z-0002-old', 'old', 'c1', '3 Elm Grove', 'Warwick', 'CV34 5XY')",
    ],
}


def build_at(path: Path, version: int) -> None:
    conn = connection.connect(path, PASSPHRASE, create=True, kdf_iter=1000)
    try:
        for v in range(1, version + 1):  # each version's rows are written while the store is at it
            assert migrations.migrate(conn, target=v) == [v]
            for sql in SEED_AT.get(v, []):
                conn.execute(sql)
        assert migrations.schema_version(conn) == version
    finally:
        conn.close()


@pytest.mark.parametrize("version", range(0, migrations.LATEST))
def test_upgrade_from_every_earlier_version(tmp_path: Path, open_store: Callable[..., Store], version: int) -> None:
    path = tmp_path / f"v{version}.heartdb"
    if version:
        build_at(path, version)
    with open_store(path, create=version == 0) as store:
        assert store.schema_version == migrations.LATEST
        assert store.integrity() == "ok"
        if version >= 1:
            assert store.cases.get("c1")["reference"] == "WDC/26/00001"
            assert [r["id"] for r in store.cases.search("fairw")] == ["c1"]
            assert [r["id"] for r in store.cases.search("CV345")] == ["c1"]
        store.cases.create("RBC")  # the upgraded store takes writes
    with open_store(path, create=False) as store:
        assert store.schema_version == migrations.LATEST
    if version:  # the file as it was before the upgrade is kept beside it
        kept = connection.connect(path.with_name(f"{path.name}.pre-v{migrations.LATEST}.bak"), PASSPHRASE,
                                  kdf_iter=1000, wal=False)
        assert migrations.schema_version(kept) == version
        kept.close()


def test_every_version_is_numbered_in_order() -> None:
    numbers = [m[0] for m in migrations.MIGRATIONS]
    assert numbers == list(range(1, len(numbers) + 1))
    assert numbers[-1] == migrations.LATEST


def test_failed_migration_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "m.heartdb"
    build_at(path, migrations.LATEST)

    def broken(conn: connection.Connection) -> None:
        conn.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("migration bug")

    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, (migrations.LATEST + 1, "broken", broken)))
    conn = connection.connect(path, PASSPHRASE, kdf_iter=1000)
    try:
        with pytest.raises(RuntimeError):
            migrations.migrate(conn, target=migrations.LATEST + 1)
        assert migrations.schema_version(conn) == migrations.LATEST
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").fetchone()[0] == 0
    finally:
        conn.close()
