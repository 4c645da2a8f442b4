"""The demo store the README's first command makes has signed packs waiting in the print queue,
from several councils, each matching the data it shows."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader

from heart_desktop.documents.demo_packs import ensure_demo_store
from heart_desktop.documents.signing import pack_status
from heart_desktop.store import DEMO_PASSPHRASE, Store
from heart_desktop.store.packs import Packs


def test_the_demo_store_has_signed_packs_to_post(tmp_path: Path) -> None:
    path = tmp_path / "demo.heartdb"
    assert ensure_demo_store(path, cases=400)
    with Store.open(path, DEMO_PASSPHRASE) as store:
        queue = [row for row in Packs(store).queue() if row["kind"] == "application_pack"]  # letters queue too
        assert len(queue) >= 3
        assert len({row["council"] for row in queue}) >= 3
        for row in queue:
            assert not pack_status(store, row["case_id"]).changed_since_signed
        # each signed demo pack shows the assessment's (synthetic) photos under their hazards
        for row in queue:
            pdf = Packs(store).content(row["id"])
            text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
            photos = store.attachments.for_case(row["case_id"])
            assert photos and all(p["caption"] in text for p in photos)
            assert "Photographs" in text
            versions = [f for f in store.forms.for_case(row["case_id"]) if f["form_id"] == "hhsrs_assessment"]
            assert len(versions) == 2 and {f["status"] for f in versions} == {"signed"}  # the first kept
