"""Pack test fixtures: a store with a fast key derivation and one full synthetic case."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from cases import make_case

from heart_desktop.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "store.heartdb", "pack tests", create=True, kdf_iter=1000, officer="Priya Officer")
    yield s
    s.close()


@pytest.fixture
def case_id(store: Store) -> str:
    return make_case(store)
