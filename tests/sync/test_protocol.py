"""The protocol's entity list matches the store's schema; ill-formed changes are refused with a
reason; a batch's content hash is refused exactly when it holds text that cannot be stored; the
central server imports only the domain and the protocol from the project."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heart_desktop.store.schema import ENTITIES
from heart_desktop.sync.protocol import (
    ENTITY_FIELDS,
    PATCH_FIELDS,
    ProtocolError,
    canonical,
    change_from_json,
    checked_content_hash,
    has_bad_text,
)

GOOD = {"entity": "note", "id": "0f8e7c2a-1111-4a4a-9a9a-123456789abc", "op": "insert", "base_rev": 0, "rev": 1,
        "hlc": "2026-11-23T10:00:00.000Z-0000-dev1", "officer": "A. Okafor",
        "fields": {"case_id": "c1c1c1c1-2222", "body": "Called"}}


def test_protocol_entities_are_the_stores() -> None:
    assert set(ENTITY_FIELDS) == {e.name for e in ENTITIES}
    for entity in ENTITIES:
        syncable = set(entity.fields) - set(entity.local_fields)
        assert ENTITY_FIELDS[entity.name] == syncable | {"deleted"}, entity.name
        assert PATCH_FIELDS.get(entity.name, frozenset()) == entity.patch_fields


@pytest.mark.parametrize(("change", "reason"), [
    ({**GOOD, "entity": "spaceship"}, "unknown entity"),
    ({**GOOD, "id": "x"}, "not a row id"),
    ({**GOOD, "op": "upsert"}, "unknown operation"),
    ({**GOOD, "rev": 0}, "revisions"),
    ({**GOOD, "hlc": "yesterday"}, "clock stamp"),
    ({**GOOD, "hlc": "2026-11-23T10:00:00.000Z-0000-dev\x001"}, "clock stamp"),  # PostgreSQL refuses a NUL
    ({**GOOD, "fields": {"case_id": "c1", "colour": "red"}}, "unknown field 'colour'"),
    ({**GOOD, "fields": {"body": "no case"}}, "must name its case"),
    ({**GOOD, "entity": "form_submission", "op": "update", "base_rev": 1, "rev": 2,
      "fields": {"answers": {"whole": "object"}}}, "as a patch"),
])
def test_ill_formed_changes_are_refused_with_a_reason(change: dict, reason: str) -> None:
    with pytest.raises(ProtocolError, match=reason):
        change_from_json(change)
    assert change_from_json(GOOD).case_id == "c1c1c1c1-2222"


def test_the_server_imports_only_domain_and_protocol_from_the_project() -> None:
    script = (
        "import sys, heart_desktop.central.app, heart_desktop.central.cli\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith('heart_desktop.') and not m.startswith("
        "('heart_desktop.central', 'heart_desktop.domain', 'heart_desktop.sync.protocol')) "
        "and m not in ('heart_desktop.sync',))))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_required_fields_are_the_stores_not_null_columns(tmp_path) -> None:
    """A row the schema lets through must fit the store: the required fields are exactly the
    columns that are NOT NULL without a default (the sync stamps aside)."""
    from heart_desktop.store import Store
    from heart_desktop.sync.protocol.rows import store_needs

    with Store.open(tmp_path / "s.heartdb", "p", create=True, kdf_iter=1000) as store:
        for entity in ENTITIES:
            columns = store.conn.execute(f"PRAGMA table_info({entity.table})").fetchall()
            needed = {c[1] for c in columns if c[3] and c[4] is None} - {"id", "updated_at", "updated_by", "n"}
            needed -= set(entity.local_fields)
            assert needed == store_needs(entity.name), entity.name


# any character at all, lone surrogates and backslashes included, often beside ones beyond ASCII
ANY_TEXT = st.text(st.one_of(st.characters(codec=None, exclude_categories=()), st.sampled_from("\\ud\ud800\udc00é😀")))
JSON = st.recursive(st.none() | st.integers() | st.floats(allow_nan=False) | ANY_TEXT,
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ANY_TEXT, inner, max_size=4))


@given(st.lists(st.dictionaries(ANY_TEXT, JSON, max_size=4), max_size=4))
def test_a_batch_hash_is_refused_exactly_when_it_holds_bad_text(changes: list[dict[str, Any]]) -> None:
    digest = checked_content_hash(changes, 7)
    if has_bad_text(changes):
        assert digest is None
    else:
        assert digest == hashlib.sha256(canonical({"seq": 7, "changes": changes}).encode()).hexdigest()
