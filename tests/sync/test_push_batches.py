"""The laptop's push batches, without an office: each change names its case (looked up from the row
when the journal entry does not), the request body is serialised once and kept with the batch, an
unanswered batch goes again byte for byte, and one kept by an earlier release still goes."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sync_server import FAST_KDF, PASSPHRASE

from heart_desktop.store import Store
from heart_desktop.store.sync_apply import batch_answered, next_batch, read_state, remember_refusals, write_state


def store(tmp_path: Path) -> Store:
    made = Store.open(tmp_path / "laptop.heartdb", PASSPHRASE, officer="A. Okafor", create=True, kdf_iter=FAST_KDF)
    write_state(made, device_seq=4)
    return made


def test_a_batch_names_each_rows_case_and_is_kept_as_sent(tmp_path: Path) -> None:
    laptop = store(tmp_path)
    case_id = laptop.cases.create("WDC", enquiry_on=date(2026, 11, 2))
    note_id = laptop.notes.add(case_id, "Called the applicant")
    laptop.notes.update(note_id, {"body": "Called the applicant: café at 10 😀"})  # no case_id in the entry
    assert "case_id" not in laptop.journal.entries()[-1].changes

    batch = next_batch(laptop, 500)
    assert batch is not None and batch["device_seq"] == 5
    body = json.loads(batch["body"])
    assert body == {k: batch[k] for k in ("key", "device_seq", "changes")}
    assert [(c["entity"], c["op"], c["case_id"]) for c in body["changes"]] == [
        ("case", "insert", case_id), ("note", "insert", case_id), ("note", "update", case_id)]
    assert body["changes"][-1]["fields"] == {"body": "Called the applicant: café at 10 😀"}
    assert "café" in batch["body"].decode("utf-8")  # UTF-8, as httpx sends JSON
    assert json.loads(read_state(laptop)["batch"]) == {**body, "up_to": laptop.journal.entries()[-1].seq}
    assert {e.batch_id for e in laptop.journal.entries()} == {batch["key"]}

    again = next_batch(laptop, 500)  # not answered: the same key, sequence number and bytes
    assert again is not None and again["body"] == batch["body"]

    remember_refusals(laptop, [], [{"id": note_id, "reason": "refused once"}])
    batch_answered(laptop, batch)
    remember_refusals(laptop, [c["id"] for c in batch["changes"]], [])
    assert not any(key.startswith("refused:") for key in read_state(laptop))
    assert next_batch(laptop, 500) is None


def test_a_batch_kept_by_an_earlier_release_goes_as_it_was(tmp_path: Path) -> None:
    laptop = store(tmp_path)
    laptop.cases.create("WDC", enquiry_on=date(2026, 11, 2))
    kept = {"key": "k-earlier", "device_seq": 5, "up_to": 1, "changes": [
        {"entity": "case", "id": "c1c1c1c1-0000", "op": "insert", "base_rev": 0, "rev": 1,
         "hlc": "2026-11-23T10:00:00.000Z-0000-dev1", "officer": "A. Okafor",
         "fields": {"council": "WDC", "reference": "WDC/26/00001 é"}, "case_id": "c1c1c1c1-0000"}]}
    write_state(laptop, batch=json.dumps(kept))  # as the release before wrote it (ASCII escapes)
    batch = next_batch(laptop, 500)
    assert batch is not None and batch["key"] == "k-earlier"
    assert json.loads(batch["body"]) == {k: kept[k] for k in ("key", "device_seq", "changes")}
