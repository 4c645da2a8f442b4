"""The office's resident memory while it answers a 1 GiB upload with no token: the token is checked
before the body is read, so the body is never held. The server runs as ``heart-central serve`` in
its own process on 127.0.0.1, so its memory can be read from /proc; the body is streamed from a
generator (chunked, no length), never allocated whole."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
from sync_server import free_port

MiB = 1024 * 1024


def rss(pid: int) -> int:
    """Resident memory of the process, in bytes (VmRSS in /proc/PID/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


def gibibyte() -> Iterator[bytes]:
    piece = b"\0" * MiB
    for _ in range(1024):
        yield piece


def test_a_1_gib_upload_without_a_token_does_not_grow_the_server(tmp_path: Path) -> None:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "heart_desktop.central.cli", "serve", "--db",
                               f"sqlite:///{tmp_path / 'central.sqlite'}", "--host", "127.0.0.1", "--port", str(port)],
                              env=os.environ)
    url = f"http://127.0.0.1:{port}/api/v1"
    try:
        for _ in range(400):
            try:
                if httpx.get(f"{url}/").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.05)
        warm = httpx.patch(f"{url}/files/{'a' * 64}", content=b"x" * MiB, headers={"Upload-Offset": "0"})
        assert warm.status_code == 401  # every code path of a refusal loaded before the baseline
        before = rss(server.pid)
        peak = [before]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], rss(server.pid))
                done.wait(0.01)

        sampler = threading.Thread(target=sample)
        sampler.start()
        try:
            answer = httpx.patch(f"{url}/files/{'a' * 64}", content=gibibyte(), headers={"Upload-Offset": "0"},
                                 timeout=300)
        finally:
            done.set()
            sampler.join()
        assert answer.status_code == 401 and answer.json()["error"] == "no_token"
        growth = peak[0] - before
        print(f"office RSS {before / MiB:.1f} MiB before, peak {peak[0] / MiB:.1f} MiB while refusing 1 GiB "
              f"(+{growth / MiB:.1f} MiB)")
        assert growth < 50 * MiB
    finally:
        server.terminate()
        server.wait(timeout=30)
