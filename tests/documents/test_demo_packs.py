"""The demo store the README's first command makes has signed packs waiting in the print queue,
from several councils, each matching the data it shows."""

from __future__ import annotations

from pathlib import Path

from heart_desktop.documents.signing import pack_status
from heart_desktop.launch import ensure_demo_store
from heart_desktop.store import DEMO_PASSPHRASE, Store
from heart_desktop.store.packs import Packs


def test_the_demo_store_has_signed_packs_to_post(tmp_path: Path) -> None:
    path = tmp_path / "demo.heartdb"
    assert ensure_demo_store(path, cases=400)
    with Store.open(path, DEMO_PASSPHRASE) as store:
        queue = Packs(store).queue()
        assert len(queue) >= 3
        assert len({row["council"] for row in queue}) >= 3
        for row in queue:
            assert not pack_status(store, row["case_id"]).changed_since_signed
