"""Helpers for the office's own tests: a database URL on SQLite and on PostgreSQL, a server with
chosen limits and a clock the test moves, devices enrolled over HTTP and laptops enrolled with it."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sync_server import Server, enrolled_laptop

from heart_desktop.central.settings import OfficeSettings
from heart_desktop.store import Store
from heart_desktop.sync.protocol import API, TOKEN_HEADER


class Clock:
    """The office's time, moved by the test: never today's date."""

    def __init__(self, start: datetime = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def new_database(request: pytest.FixtureRequest, tmp_path: Path, kind: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / f'central-{time.time_ns()}.sqlite'}"
    base = request.getfixturevalue("postgres_url")
    import psycopg

    name = f"t{time.time_ns()}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return base.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path: Path, db_kind: str) -> str:
    return new_database(request, tmp_path, db_kind)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def office(db_url: str, clock: Clock) -> Iterator[Callable[..., Server]]:
    """``office(**settings)``: the real server on 127.0.0.1 with those settings and the test's clock."""
    started: list[Server] = []

    def start(**settings: Any) -> Server:
        server = Server(db_url, settings=replace(OfficeSettings(clock=clock), **settings))
        server.start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def device(server: Server, officer: str = "A. Okafor", councils: tuple[str, ...] = ("WDC",),
           role: str = "HAO") -> dict[str, str]:
    """Enrol a device for the officer over HTTP; returns its token header."""
    server.service.add_officer(officer, role, list(councils))
    answer = httpx.post(f"{server.url}{API}/enrol", json={"code": server.service.enrol_code(officer),
                                                          "device_name": "test"})
    assert answer.status_code == 200, answer.text
    return {TOKEN_HEADER: answer.json()["token"]}


@pytest.fixture
def laptops(tmp_path: Path) -> Iterator[Callable[..., Store]]:
    """``laptops(server, name, officer, councils)``: an enrolled laptop store."""
    made: list[Store] = []

    def make(server: Server, name: str, officer: str = "A. Okafor", councils: tuple[str, ...] = ("WDC",),
             role: str = "HAO") -> Store:
        store = enrolled_laptop(server, tmp_path / f"{name}.heartdb", officer, councils, role)
        made.append(store)
        return store

    yield make
    for store in made:
        with contextlib.suppress(Exception):
            store.close()


def api(server: Server, path: str) -> str:
    return f"{server.url}{API}{path}"
