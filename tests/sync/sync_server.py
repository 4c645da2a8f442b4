"""The real central server on 127.0.0.1 for tests and the sync benchmark: uvicorn in a thread,
over SQLite or a throwaway PostgreSQL cluster run as an unprivileged user."""

from __future__ import annotations

import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import uvicorn

from heart_desktop.central.app import create_app
from heart_desktop.central.db import KEY_ENV, CentralDatabase
from heart_desktop.central.service import CentralService
from heart_desktop.central.settings import OfficeSettings

if TYPE_CHECKING:
    from heart_desktop.store import Store

PG_BIN = Path("/usr/lib/postgresql")
OFFICE_KEY = "synthetic test office key, not a secret"
# every office the tests (and the sync benchmark) open over SQLite is encrypted with this key, as
# `heart-central serve` with HEART_CENTRAL_KEY would be; subprocess verbs inherit it
os.environ.setdefault(KEY_ENV, OFFICE_KEY)
FAST_KDF = 1000  # tests only: the real key derivation is SQLCipher's default
PASSPHRASE = "laptop passphrase"


def enrolled_laptop(server: Server, path: Path, officer: str, councils: tuple[str, ...], role: str = "HAO") -> Store:
    """A laptop store at ``path``, enrolled with the office for ``officer`` (added with ``role``)."""
    from heart_desktop.store import Store
    from heart_desktop.sync.client import enrol

    server.service.add_officer(officer, role, list(councils))
    store = Store.open(path, PASSPHRASE, officer=officer, create=True, kdf_iter=FAST_KDF)
    enrol(store, server.url, server.service.enrol_code(officer))
    return store


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, url: str, tls: tuple[Path, Path, Path] | None = None,
                 settings: OfficeSettings | None = None) -> None:
        """``tls``: (certificate, key, the CA bundle that signed it) to serve https; ``settings``:
        limits and a clock for the office (the defaults otherwise)."""
        self.db_url = url
        self.settings = settings
        self.port = free_port()
        self.tls = tls
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self.service = CentralService(CentralDatabase(url), settings)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        tls = {"ssl_certfile": str(self.tls[0]), "ssl_keyfile": str(self.tls[1])} if self.tls else {}
        self.app = create_app(self.db_url, self.settings)
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="error", **tls)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                trust = ssl.create_default_context(cafile=str(self.tls[2])) if self.tls else True
                if httpx.get(f"{self.url}/api/v1/", verify=trust).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.05)
        raise RuntimeError("the test server did not start")

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.service.db.close()  # the test's own handle on the office database (the app closes its own)

    def restart(self) -> None:
        self.stop()
        self.start()


def _postgres_bin() -> Path:
    versions = sorted(PG_BIN.glob("*/bin/initdb"))
    if not versions:
        raise RuntimeError("PostgreSQL is not installed: run bash scripts/setup.sh test (the README's test command)")
    return versions[-1].parent


def postgres_cluster() -> Iterator[str]:
    """A throwaway PostgreSQL cluster on loopback, run as an unprivileged user when we are root."""
    bindir = _postgres_bin()
    # outside pytest's private (root-only) temporary folders, so the postgres user can reach it
    folder = Path(tempfile.mkdtemp(prefix="heart-pg-"))
    data = folder / "data"
    port = free_port()
    as_user: list[str] = []
    if os.geteuid() == 0:
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(folder, "postgres")
    run = lambda *cmd: subprocess.run([*as_user, *cmd], check=True, capture_output=True, text=True)  # noqa: E731
    run(str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "heart", "--no-sync")
    # -l: the server's output goes to a file, not to our pipe (which would then never close)
    run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"),
        "-o", f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -F", "-w", "start")
    try:
        yield f"postgresql://heart@127.0.0.1:{port}/postgres"
    finally:
        run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)
