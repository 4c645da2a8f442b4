"""Store test fixtures: a fast key derivation (tests only; the real default is SQLCipher's)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from heart_desktop.store import Store

FAST_KDF = 1000
PASSPHRASE = "correct horse battery staple"


def _open_store(path: Path, passphrase: str = PASSPHRASE, create: bool = True, **kw: Any) -> Store:
    return Store.open(path, passphrase, create=create, kdf_iter=FAST_KDF, officer="T. Tester", **kw)


@pytest.fixture
def open_store() -> Callable[..., Store]:
    """``open_store(path, passphrase=PASSPHRASE, create=True)`` with the fast test KDF."""
    return _open_store


@pytest.fixture
def make_case() -> Callable[..., str]:
    """``make_case(store, family=..., given=..., postcode=...)``: a case with applicant and property."""
    return _make_case


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = _open_store(tmp_path / "store.heartdb")
    yield s
    s.close()


def _make_case(store: Store, family: str = "Smith", given: str = "Ann", postcode: str = "CV34 4RL",
              council: str = "WDC", **fields: object) -> str:
    with store.transaction():
        case_id = store.cases.create(council, assigned_officer="T. Tester", enquiry_on=date(2026, 1, 5), **fields)
        store.people.insert({"case_id": case_id, "given_name": given, "family_name": family, "is_applicant": True,
                             "date_of_birth": date(1948, 3, 14)})
        store.properties.insert({"case_id": case_id, "address_line1": "12 Mill Road", "town": "Warwick",
                                 "postcode": postcode})
    return case_id
