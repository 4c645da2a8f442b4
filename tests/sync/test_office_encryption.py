"""The office's embedded SQLite database is SQLCipher: its key comes from a file (owner-only) or
HEART_CENTRAL_KEY; a new database is encrypted, a plain one from an earlier release is refused with
the one-off ``encrypt`` to run, and a missing, unsafe or wrong key is a plain message and exit 2."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sync_server import OFFICE_KEY, Server

from heart_desktop.central.db import KEY_ENV, CentralDatabase, OfficeKeyError
from heart_desktop.central.service import CentralService
from heart_desktop.store import Store

MARKER_OFFICER = "Quillon Marchbanks-Zeta"  # synthetic marker names, looked for in the raw bytes
MARKER_TEAM = "Zephyrine adaptations"


def heart_central(*args: str, key: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != KEY_ENV}
    if key is not None:
        env[KEY_ENV] = key
    return subprocess.run([sys.executable, "-m", "heart_desktop.central.cli", *args], capture_output=True, text=True,
                          env=env, check=False, timeout=120)


def raw_bytes(path: Path) -> bytes:
    return b"".join(Path(f"{path}{s}").read_bytes() for s in ("", "-wal") if Path(f"{path}{s}").exists())


def key_file(folder: Path, secret: str = OFFICE_KEY, mode: int = 0o600) -> Path:
    path = folder / "office.key"
    path.write_text(secret + "\n")
    os.chmod(path, mode)
    return path


def test_a_new_office_database_is_encrypted_and_private(tmp_path: Path) -> None:
    path = tmp_path / "central.sqlite"
    service = CentralService(CentralDatabase(f"sqlite:///{path}"))  # the key from HEART_CENTRAL_KEY
    service.add_officer(MARKER_OFFICER, "HAO", ["WDC"], MARKER_TEAM)
    service.db.close()
    data = raw_bytes(path)
    assert not path.read_bytes().startswith(b"SQLite format 3")
    assert MARKER_OFFICER.encode() not in data and MARKER_TEAM.encode() not in data
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if name.exists():
            assert stat.S_IMODE(name.stat().st_mode) == 0o600, name
    with pytest.raises(sqlite3.DatabaseError):  # plain SQLite cannot read it
        sqlite3.connect(path).execute("SELECT * FROM officers").fetchall()
    listed = heart_central("officer", "list", "--db", f"sqlite:///{path}", "--key-file", str(key_file(tmp_path)))
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.startswith(f"{MARKER_OFFICER}\tHAO\t{MARKER_TEAM}\tWDC")


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)  # PostgreSQL: the server's own encryption
def test_a_pushed_case_is_not_in_the_office_file_in_plain_bytes(server: Server, laptop: Callable[..., Store]) -> None:
    from datetime import date

    from heart_desktop.sync.client import sync_once

    store = laptop("enc", councils=("WDC",))
    with store.transaction():
        case_id = store.cases.create("WDC", assigned_officer=store.officer, enquiry_on=date(2026, 11, 2))
        store.people.insert({"case_id": case_id, "given_name": "Oriel", "family_name": "Vantablack-Quince",
                             "is_applicant": True, "date_of_birth": date(1950, 3, 14)})
        store.properties.insert({"case_id": case_id, "address_line1": "7 Zircon Row", "town": "Warwick",
                                 "postcode": "ZZ9 9QX"})
    assert sync_once(store).pushed > 0
    path = Path(server.db_url.removeprefix("sqlite:///"))
    data = raw_bytes(path)
    assert not data.startswith(b"SQLite format 3")
    assert b"Vantablack" not in data and b"ZZ9 9QX" not in data


def test_missing_unsafe_and_wrong_keys_are_refused_with_exit_2(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'central.sqlite'}"
    CentralService(CentralDatabase(url, key=OFFICE_KEY)).add_officer("A. Test", "HAO", ["WDC"])
    none = heart_central("officer", "list", "--db", url)
    assert none.returncode == 2 and "--key-file" in none.stderr and KEY_ENV in none.stderr
    loose = heart_central("officer", "list", "--db", url, "--key-file", str(key_file(tmp_path, mode=0o644)))
    assert loose.returncode == 2 and "chmod 600" in loose.stderr and "Traceback" not in loose.stderr
    wrong = heart_central("officer", "list", "--db", url, key="a different key of enough length")
    assert wrong.returncode == 2 and "the key does not open" in wrong.stderr
    short = heart_central("officer", "list", "--db", url, key="short")
    assert short.returncode == 2 and "at least 16" in short.stderr
    served = heart_central("serve", "--db", url, "--port", "1", key="a different key of enough length")
    assert served.returncode == 2 and "the key does not open" in served.stderr
    missing = heart_central("officer", "list", "--db", url, "--key-file", str(tmp_path / "nope.key"))
    assert missing.returncode == 2 and "no such file" in missing.stderr
    with pytest.raises(OfficeKeyError, match="does not open"):
        CentralDatabase(url, key="yet another key, long enough")


def test_a_plain_database_is_converted_once_with_encrypt(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    url = f"sqlite:///{path}"
    # as an earlier release left it: plain SQLite, world-readable
    with sqlite3.connect(path) as old:
        old.execute("CREATE TABLE officers (name TEXT PRIMARY KEY, role TEXT NOT NULL, councils TEXT NOT NULL, "
                    "created_at TEXT NOT NULL)")
        old.execute(f"""INSERT INTO officers VALUES ('{MARKER_OFFICER}', 'OT', '["RBC"]', '2026-01-05T09:00:00')""")
    old.close()
    assert MARKER_OFFICER.encode() in path.read_bytes()
    refused = heart_central("officer", "list", "--db", url, key=OFFICE_KEY)
    assert refused.returncode == 2 and f"heart-central encrypt --db {url}" in refused.stderr
    assert path.read_bytes().startswith(b"SQLite format 3")  # refused: unchanged
    keys = key_file(tmp_path)
    converted = heart_central("encrypt", "--db", url, "--key-file", str(keys))
    assert converted.returncode == 0, converted.stderr
    assert not path.read_bytes().startswith(b"SQLite format 3")
    assert MARKER_OFFICER.encode() not in raw_bytes(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = heart_central("encrypt", "--db", url, "--key-file", str(keys))
    assert again.returncode == 2 and "nothing to convert" in again.stderr
    listed = heart_central("officer", "list", "--db", url, "--key-file", str(keys))
    assert listed.returncode == 0 and listed.stdout == f"{MARKER_OFFICER}\tOT\t-\tRBC\n"
    assert not list(tmp_path.glob("*.encrypting"))
