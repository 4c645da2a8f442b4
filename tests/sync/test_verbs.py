"""IT's scripts: heart-central officer/enrol-code/revoke, heart-desktop enrol and sync --json, each
exiting non-zero with a plain message when something is wrong."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sync_server import PASSPHRASE, Server

from heart_desktop.store import Store


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True,
                          env={**os.environ, "HEART_PASSPHRASE": PASSPHRASE, **(env or {})}, check=False)


def test_enrol_and_sync_from_the_command_line(server: Server, tmp_path: Path) -> None:
    db = server.db_url
    councils = [arg for code in ("NWBC", "NBBC", "RBC", "SDC", "WDC") for arg in ("--council", code)]
    added = run("heart_desktop.central.cli", "officer", "add", "K. Osei", "--role", "manager", *councils,
                "--team", "North adaptations", "--db", db)
    assert added.returncode == 0, added.stderr
    assert "manager) in team North adaptations covers NBBC, NWBC, RBC, SDC, WDC" in added.stdout
    moved = run("heart_desktop.central.cli", "officer", "add", "K. Osei", "--role", "manager", *councils, "--db", db)
    listed = run("heart_desktop.central.cli", "officer", "list", "--db", db)
    assert moved.returncode == 0 and "K. Osei\tmanager\tNorth adaptations\tNBBC NWBC RBC SDC WDC" in listed.stdout
    coded = run("heart_desktop.central.cli", "enrol-code", "K. Osei", "--db", db)
    code = coded.stdout.split()[-1]
    store_path = tmp_path / "laptop.heartdb"
    made = run("heart_desktop", "demo", "--db", str(store_path), "--cases", "2")
    assert made.returncode == 0, made.stderr
    with Store.open(store_path, PASSPHRASE) as store:
        journalled = store.journal.count()
    enrolled = run("heart_desktop", "enrol", "--db", str(store_path), "--server", server.url, "--code", code)
    assert enrolled.returncode == 0, enrolled.stderr
    again = run("heart_desktop", "enrol", "--db", str(store_path), "--server", server.url, "--code", code)
    assert again.returncode == 1 and "already enrolled" in again.stderr
    other = tmp_path / "other.heartdb"
    assert run("heart_desktop", "demo", "--db", str(other), "--cases", "0").returncode == 0
    reused = run("heart_desktop", "enrol", "--db", str(other), "--server", server.url, "--code", code)
    assert reused.returncode == 1 and "not valid or has been used" in reused.stderr
    synced = run("heart_desktop", "sync", "--db", str(store_path), "--json")
    assert synced.returncode == 0, synced.stderr
    counts = json.loads(synced.stdout)
    assert counts["pushed"] == journalled and counts["pulled"] == journalled and counts["conflicts"] == 0
    devices = run("heart_desktop.central.cli", "devices", "--officer", "K. Osei", "--db", db).stdout.splitlines()
    assert len(devices) == 1 and "\tactive" in devices[0] and "last seen never" not in devices[0]
    device_id = devices[0].split("\t")[0]
    revoked = run("heart_desktop.central.cli", "revoke", device_id, "--db", db)
    assert revoked.returncode == 0
    wiped = run("heart_desktop", "sync", "--db", str(store_path))
    assert wiped.returncode == 1 and "revoked" in wiped.stderr and "wiped" in wiped.stderr
    assert not store_path.exists()
    after = run("heart_desktop.central.cli", "devices", "--db", db).stdout
    assert f"{device_id}\tK. Osei" in after and "\trevoked 20" in after


def test_plain_errors(tmp_path: Path) -> None:
    missing = run("heart_desktop.central.cli", "enrol-code", "Nobody", "--db", f"sqlite:///{tmp_path / 'c.sqlite'}")
    assert missing.returncode == 1 and "no officer" in missing.stderr and "Traceback" not in missing.stderr
    store_path = tmp_path / "laptop.heartdb"
    assert run("heart_desktop", "demo", "--db", str(store_path), "--cases", "0").returncode == 0
    unenrolled = run("heart_desktop", "sync", "--db", str(store_path))
    assert unenrolled.returncode == 1 and "not enrolled" in unenrolled.stderr
    insecure = run("heart_desktop", "enrol", "--db", str(store_path), "--server", "http://heart.example.org",
                   "--code", "X")
    assert insecure.returncode == 1 and "https" in insecure.stderr


def test_an_older_office_database_gains_the_team_column(tmp_path: Path) -> None:
    """A database made before officers had a team (and before encryption) is converted once, then
    upgraded on open, keeping its officers."""
    import sqlite3

    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as old:
        old.execute("CREATE TABLE officers (name TEXT PRIMARY KEY, role TEXT NOT NULL, councils TEXT NOT NULL, "
                    "created_at TEXT NOT NULL)")
        old.execute("""INSERT INTO officers VALUES ('J. Bell', 'HAO', '["RBC"]', '2026-01-05T09:00:00')""")
    old.close()
    plain = run("heart_desktop.central.cli", "officer", "list", "--db", f"sqlite:///{path}")
    assert plain.returncode == 2 and "heart-central encrypt" in plain.stderr  # an earlier release's plain file
    assert run("heart_desktop.central.cli", "encrypt", "--db", f"sqlite:///{path}").returncode == 0
    listed = run("heart_desktop.central.cli", "officer", "list", "--db", f"sqlite:///{path}")
    assert listed.returncode == 0 and listed.stdout == "J. Bell\tHAO\t-\tRBC\n"


def test_enrol_makes_the_store_of_a_new_laptop(server: Server, tmp_path: Path) -> None:
    """IT sets up a new officer's laptop with one command: the store is created, then enrolled."""
    server.service.add_officer("N. Newcomer", "HAO", ["WDC"])
    store_path = tmp_path / "new" / "laptop.heartdb"
    enrolled = run("heart_desktop", "enrol", "--db", str(store_path), "--server", server.url,
                   "--code", server.service.enrol_code("N. Newcomer"))
    assert enrolled.returncode == 0, enrolled.stderr
    with Store.open(store_path, PASSPHRASE) as store:
        assert store.officer == "N. Newcomer" and store.cases.count() == 0
