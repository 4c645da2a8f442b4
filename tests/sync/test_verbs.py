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
    added = run("heart_desktop.central.cli", "officer", "add", "K. Osei", "--role", "OT", *councils, "--db", db)
    assert added.returncode == 0, added.stderr
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
    assert again.returncode == 1 and "not valid or has been used" in again.stderr
    synced = run("heart_desktop", "sync", "--db", str(store_path), "--json")
    assert synced.returncode == 0, synced.stderr
    counts = json.loads(synced.stdout)
    assert counts["pushed"] == journalled and counts["pulled"] == journalled and counts["conflicts"] == 0
    device = server.service.db
    with device.transaction() as tx:
        device_id = tx.one("SELECT id FROM devices WHERE officer = 'K. Osei'")[0]
    revoked = run("heart_desktop.central.cli", "revoke", device_id, "--db", db)
    assert revoked.returncode == 0
    wiped = run("heart_desktop", "sync", "--db", str(store_path))
    assert wiped.returncode == 1 and "revoked" in wiped.stderr and "wiped" in wiped.stderr
    assert not store_path.exists()


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
