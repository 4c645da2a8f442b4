"""kill -9 at random moments: the store always opens, passes integrity_check and keeps every
transaction the writer reported as committed (it reports only after COMMIT returned)."""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from heart_desktop.paths import creation_cut_short, store_exists
from heart_desktop.store import Store

KILLS = 50
CHILD = r'''
import sys
from heart_desktop.store import Store

store = Store.open(sys.argv[1], "crash passphrase", create=True, kdf_iter=1000, officer="child")
with store.transaction():
    cases = store.cases.page(0, 1)
    case_id = cases[0]["id"] if cases else store.cases.create("WDC", reference="WDC/26/00001")
    drafts = store.forms.drafts()
    form = drafts[0]["id"] if drafts else store.forms.start(case_id, "home_safety_check", "1")
n = store.conn.execute("SELECT count(*) FROM notes").fetchone()[0]
print("ready", flush=True)
while True:
    n += 1
    with store.transaction():
        store.notes.insert({"case_id": case_id, "body": str(n), "written_at": "2026-11-23T00:00:00Z"})
        store.forms.save_draft(form, {"typed": "x" * (n % 300), "count": n})
    print(n, flush=True)
'''


def _read_lines(proc: subprocess.Popen[bytes], until: float, want_ready: bool) -> tuple[list[str], bool]:
    """Lines the child wrote before ``until`` (or, when waiting for "ready", until it arrives)."""
    assert proc.stdout is not None
    buffer = b""
    ready = False
    fd = proc.stdout.fileno()
    while True:
        timeout = until - time.monotonic()
        if want_ready and not ready:
            timeout = max(timeout, 0.01)
        if timeout <= 0 and (ready or not want_ready):
            break
        readable, _, _ = select.select([fd], [], [], min(timeout, 0.05) if timeout > 0 else 0.05)
        if readable:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            buffer += chunk
            ready = ready or b"ready\n" in buffer
        if want_ready and ready and time.monotonic() >= until:
            break
    return buffer.decode().splitlines(), ready


def test_kill_nine_never_loses_a_commit(tmp_path: Path, open_store: Callable[..., Store]) -> None:
    path = tmp_path / "crash.heartdb"
    script = tmp_path / "writer.py"
    script.write_text(CHILD)
    rng = random.Random(20261123)
    reported = 0
    kills_while_writing = 0
    for round_no in range(KILLS):
        proc = subprocess.Popen([sys.executable, str(script), str(path)], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL)
        # now and then kill during start-up (open, migration); otherwise while writing
        early = round_no % 10 == 0
        delay = rng.uniform(0.0, 0.08) if early else rng.uniform(0.005, 0.12)
        deadline = time.monotonic() + delay
        lines, _ready = _read_lines(proc, deadline, want_ready=not early)
        if not early:
            deadline = time.monotonic() + delay
            more, _ = _read_lines(proc, deadline, want_ready=False)
            lines += more
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert proc.stdout is not None
        lines += proc.stdout.read().decode().splitlines()  # what was in the pipe at the moment of the kill
        proc.stdout.close()
        numbers = [int(line) for line in lines if line.strip().isdigit()]
        if numbers:
            reported = max(reported, numbers[-1])
            kills_while_writing += 1
        if not store_exists(path):  # killed before the store's first page was written
            assert reported == 0
            continue
        with open_store(path, "crash passphrase", create=False) as store:
            assert store.integrity() == "ok"
            bodies = {int(r[0]) for r in store.conn.execute("SELECT body FROM notes")}
            assert set(range(1, reported + 1)) <= bodies, f"round {round_no}: lost a reported commit"
            assert bodies == set(range(1, len(bodies) + 1))  # no gaps, no partial transactions
            journal_notes = store.conn.execute("SELECT count(*) FROM journal WHERE entity = 'note'").fetchone()[0]
            assert journal_notes == len(bodies)
            if bodies:
                draft = store.forms.load(store.forms.drafts()[0]["id"])
                assert draft["answers"]["count"] == max(bodies)  # the draft saved with the last commit
    assert kills_while_writing >= KILLS // 2
    assert reported > KILLS


def test_a_creation_cut_short_is_created_again(tmp_path: Path) -> None:
    """A kill between the file appearing and its first page leaves an empty file: the app offers to
    create the store (not "an empty file, not a HEART store" for ever), and creating it works."""
    path = tmp_path / "new.heartdb"
    path.write_bytes(b"")
    assert creation_cut_short(path) and not store_exists(path)
    with Store.open(path, "crash passphrase", create=True, kdf_iter=1000, officer="child") as store:
        store.cases.create("WDC", reference="WDC/26/00001")
    assert store_exists(path) and not creation_cut_short(path)
    with Store.open(path, "crash passphrase", kdf_iter=1000) as store:
        assert store.cases.count() == 1


def test_an_empty_file_beside_a_write_ahead_log_is_not_taken_for_a_new_store(tmp_path: Path) -> None:
    path = tmp_path / "odd.heartdb"
    path.write_bytes(b"")
    path.with_name(f"{path.name}-wal").write_bytes(b"\x37\x7f\x06\x82" + bytes(28))
    assert not creation_cut_short(path) and store_exists(path)
