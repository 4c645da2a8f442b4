"""The real central server on 127.0.0.1 (uvicorn in a thread) over SQLite and over PostgreSQL, and
real laptop stores that enrol with it."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sync_server import Server, enrolled_laptop, postgres_cluster

from heart_desktop.store import Store


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    try:
        yield from postgres_cluster()
    except RuntimeError as exc:
        pytest.fail(str(exc))


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Server]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'central.sqlite'}"
    else:
        base = request.getfixturevalue("postgres_url")
        import psycopg

        name = f"t{time.time_ns()}"
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        url = base.rsplit("/", 1)[0] + f"/{name}"
    srv = Server(url)
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def laptop(tmp_path: Path, server: Server) -> Callable[..., Store]:
    """``laptop(name, officer, councils)``: an enrolled laptop store for an officer."""
    made: list[Store] = []

    def make(name: str, officer: str = "A. Okafor", councils: tuple[str, ...] = ("WDC", "SDC"),
             role: str = "HAO") -> Store:
        store = enrolled_laptop(server, tmp_path / f"{name}.heartdb", officer, councils, role)
        made.append(store)
        return store

    yield make
    for store in made:
        with contextlib.suppress(Exception):  # a wiped laptop's store is already closed
            store.close()
