"""The office database: a database left by every earlier release opens at the latest version with
its data, a newer one is refused, the SQLite files are private, plain http on a network address
needs --insecure-http, the API docs pages are off unless asked for, and ``prune`` prunes."""
# ruff: noqa: F811 (the fixtures from office_helpers are imported, then named as parameters)

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from office_helpers import api, clock, db_kind, db_url, office  # noqa: F401
from sync_server import Server

from heart_desktop.central import cli
from heart_desktop.central.db import CentralDatabase
from heart_desktop.central.migrations import LATEST, SchemaTooNew, version
from heart_desktop.sync.protocol import TOKEN_HEADER

TOKEN = "an old laptop's token"
PHOTO = b"the bytes of a photo taken before the upgrade"
DIGEST = hashlib.sha256(PHOTO).hexdigest()

# every state an earlier release can have left the database in: before versioning (with and without
# the team column), then each numbered version before the latest
EARLIER = ["unversioned, before teams", "unversioned", *range(1, LATEST)]


def build(url: str, state: str | int) -> None:
    """A database as an earlier release left it, holding an officer, a device, a case with a photo
    (arrived) and a half-sent upload."""
    built = 1 if isinstance(state, str) else state
    db = CentralDatabase(url, upgrade_to=built)
    at = "2026-03-01T09:00:00+00:00"
    with db.transaction() as tx:
        if isinstance(state, str):
            tx.execute("DROP TABLE schema_version")
            if state == "unversioned, before teams":
                tx.execute("ALTER TABLE officers DROP COLUMN team")
        tx.execute("INSERT INTO officers (name, role, councils, created_at) VALUES ('A. Okafor', 'HAO', ?, ?)",
                   ('["WDC"]', at))
        tx.execute("INSERT INTO devices (id, officer, token_hash, name, enrolled_at) VALUES ('d1', 'A. Okafor', ?, "
                   "'laptop', ?)", (hashlib.sha256(TOKEN.encode()).hexdigest(), at))
        tx.execute("INSERT INTO enrol_codes (code_hash, officer, created_at) VALUES ('h', 'A. Okafor', ?)", (at,))
        if built >= 2:  # codes expire from version 2
            tx.execute("UPDATE enrol_codes SET expires_at = '2026-03-04T09:00:00+00:00'")
        case = {"council": "WDC", "reference": "WDC/26/00001"}
        photo = {"case_id": "c1", "sha256": DIGEST, "kind": "photo"}
        for entity, row_id, fields in (("case", "c1", case), ("attachment", "p1", photo)):
            tx.execute("INSERT INTO records (entity, id, case_id, council, rev, fields, hlc) "
                       "VALUES (?, ?, 'c1', 'WDC', 1, ?, 'h')", (entity, row_id, json.dumps(fields)))
            tx.execute("INSERT INTO feed (entity, id, case_id, council, op, base_rev, rev, hlc, officer, device_id, "
                       "fields) VALUES (?, ?, 'c1', 'WDC', 'insert', 0, 1, 'h', 'A. Okafor', 'd1', ?)",
                       (entity, row_id, json.dumps(fields)))
        tx.execute("INSERT INTO file_refs (entity, record_id, sha256) VALUES ('attachment', 'p1', ?)", (DIGEST,))
        if built <= 1:
            tx.execute("INSERT INTO files (sha256, length, received, complete, data) VALUES (?, ?, ?, 1, ?)",
                       (DIGEST, len(PHOTO), len(PHOTO), PHOTO))
            tx.execute("INSERT INTO files (sha256, length, received, complete) VALUES (?, 10, 4, 0)", ("9" * 64,))
            tx.execute("INSERT INTO file_chunks (sha256, at, data) VALUES (?, 0, ?)", ("9" * 64, b"half"))
        else:
            tx.execute("INSERT INTO files (sha256, length, received, complete, data) VALUES (?, ?, ?, 1, ?)",
                       (DIGEST, len(PHOTO), len(PHOTO), PHOTO))
            tx.execute("INSERT INTO file_uploaders (sha256, officer, at) VALUES (?, 'A. Okafor', ?)", (DIGEST, at))
    db.close()


@pytest.mark.parametrize("state", EARLIER, ids=str)
def test_a_database_from_every_earlier_release_opens_with_its_data(db_url: str, state: str | int) -> None:
    build(db_url, state)
    db = CentralDatabase(db_url)  # opening it migrates it
    with db.transaction() as tx:
        assert version(tx) == LATEST
        assert tx.all("SELECT name, team FROM officers") == [("A. Okafor", "")]
        assert tx.one("SELECT count(*) FROM files WHERE complete = 0")[0] == 0  # an ownerless partial is gone
        assert tx.one("SELECT expires_at FROM enrol_codes")[0] == "2026-03-04T09:00:00+00:00"  # 72 hours
    db.close()
    server = Server(db_url)
    server.start()
    try:
        headers = {TOKEN_HEADER: TOKEN}
        assert httpx.get(api(server, "/digest"), headers=headers).json()["count"] == 2
        photo = httpx.get(api(server, f"/files/{DIGEST}"), headers=headers)
        assert photo.status_code == 200 and photo.content == PHOTO
    finally:
        server.stop()


def test_a_database_from_a_newer_release_is_refused(db_url: str) -> None:
    CentralDatabase(db_url).close()
    db = CentralDatabase(db_url)
    with db.transaction() as tx:
        tx.execute("INSERT INTO schema_version (version, applied_at) VALUES (?, 'later')", (LATEST + 1,))
    with pytest.raises(SchemaTooNew, match="upgrade heart-central"):
        CentralDatabase(db_url)


def test_the_sqlite_files_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "central.sqlite"
    db = CentralDatabase(f"sqlite:///{path}")
    with db.transaction() as tx:
        tx.execute("INSERT INTO request_log (at, method, path, status) VALUES ('t', 'GET', '/', 200)")
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        assert stat.S_IMODE(name.stat().st_mode) == 0o600, name
    db.close()
    old = tmp_path / "old.sqlite"  # a file an earlier release left world-readable is tightened
    CentralDatabase(f"sqlite:///{old}").close()
    os.chmod(old, 0o644)
    CentralDatabase(f"sqlite:///{old}").close()
    assert stat.S_IMODE(old.stat().st_mode) == 0o600


def test_plain_http_on_a_network_address_needs_insecure_http(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'central.sqlite'}"
    served: list[dict[str, object]] = []
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: served.append(kw))  # nothing listens in this test
    monkeypatch.setattr("heart_desktop.central.logs.configure", lambda *a, **kw: None)  # the process's loggers stay
    assert cli.main(["serve", "--db", url, "--host", "0.0.0.0"]) == 2
    assert "--insecure-http" in capsys.readouterr().err and not served
    assert cli.main(["serve", "--db", url, "--host", "0.0.0.0", "--insecure-http"]) == 0
    assert "WARNING: serving plain http on 0.0.0.0" in capsys.readouterr().err and served[-1]["host"] == "0.0.0.0"
    assert cli.main(["serve", "--db", url, "--host", "127.0.0.1"]) == 0
    assert capsys.readouterr().err == ""


def test_the_api_docs_pages_are_served_only_when_asked_for(office: Callable[..., Server]) -> None:
    server = office(docs=True)
    assert httpx.get(f"{server.url}/api/v1/docs").status_code == 200
    assert httpx.get(f"{server.url}/api/v1/redoc").status_code == 200
    assert "--docs" in subprocess.run([sys.executable, "-m", "heart_desktop.central.cli", "serve", "--help"],
                                      capture_output=True, text=True, check=True).stdout


def test_the_prune_verb_removes_what_has_aged_out(db_url: str) -> None:
    db = CentralDatabase(db_url)
    with db.transaction() as tx:
        for at in ("2000-01-01T00:00:00+00:00", "9999-01-01T00:00:00+00:00"):  # long ago, and far ahead
            tx.execute("INSERT INTO request_log (at, method, path, status) VALUES (?, 'GET', '/', 200)", (at,))
            tx.execute("INSERT INTO uploads (sha256, device_id, length, received, created_at, updated_at) "
                       "VALUES (?, 'd', 10, 4, ?, ?)", (at[:4] * 16, at, at))
            tx.execute("INSERT INTO upload_chunks (sha256, device_id, at, data) VALUES (?, 'd', 0, ?)",
                       (at[:4] * 16, b"half"))
    done = subprocess.run([sys.executable, "-m", "heart_desktop.central.cli", "prune", "--db", db_url,
                           "--log-days", "30", "--upload-days", "7"], capture_output=True, text=True, env=os.environ)
    assert done.returncode == 0, done.stderr
    assert "pruned 1 request log rows, 1 abandoned uploads" in done.stdout
    with db.transaction() as tx:
        assert tx.all("SELECT at FROM request_log") == [("9999-01-01T00:00:00+00:00",)]
        assert tx.all("SELECT sha256 FROM upload_chunks") == [("9999" * 16,)]
