"""Signed letters: frozen bytes like the pack's, one ``documents`` row each (kind ``letter_<kind>``).

A letter is signed once and kept as it was sent: its PDF bytes in ``blobs`` under their SHA-256,
never regenerated; the row keeps the fingerprint of what the letter shows, the officer's signature
and who it was addressed to. Printing and posting are marks on the row, through the same print
queue as the packs (``store.packs``). Every write is journalled and audited.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from heart_desktop.store.errors import NotFoundError, StoreError

if TYPE_CHECKING:
    from heart_desktop.store.database import Store

PREFIX = "letter_"


def document_kind(kind: str) -> str:
    return PREFIX + kind


def is_letter(row: Mapping[str, Any]) -> bool:
    return str(row.get("kind") or "").startswith(PREFIX)


class Letters:
    def __init__(self, store: Store) -> None:
        self.store = store

    def freeze(self, case_id: str, kind: str, title: str, pdf: bytes, fingerprint: str,
               signature: Mapping[str, Any], addressee: str) -> dict[str, Any]:
        """Keep a signed letter's bytes as they are, with what it shows and who signed it."""
        if not signature.get("name") or not signature.get("signed_at"):
            raise StoreError("A letter is signed by the officer: the signature needs a name and a time.")
        digest = hashlib.sha256(pdf).hexdigest()
        documents = self.store.documents
        with self.store.transaction():
            signed = {**dict(signature), "addressee": addressee}
            document_id = documents.add(case_id, document_kind(kind), title, pdf, signed=True, extra={
                "fingerprint": fingerprint, "signatures": [signed], "signed_at": signature["signed_at"]})
            row = documents.get(document_id)
            if row["sha256"] != digest:
                raise StoreError("the stored letter does not match the bytes signed")
            self.store.audit.append("sign", case_id=case_id, entity="document", entity_id=document_id, detail={
                "kind": document_kind(kind), "version": row["version"], "sha256": digest, "size": len(pdf),
                "fingerprint": fingerprint, "addressee": addressee,
                "signers": [{"role": "officer", "name": signature.get("name"), "signed_at": signature.get("signed_at"),
                             "method": signature.get("method")}]})
        return row

    def for_case(self, case_id: str) -> list[dict[str, Any]]:
        """The case's signed letters, newest first."""
        return self.store.documents.where("case_id = ? AND kind LIKE ? AND signed = 1", (case_id, PREFIX + "%"),
                                          order_by="signed_at DESC, version DESC")

    def latest(self, case_id: str, kind: str) -> dict[str, Any] | None:
        rows = self.store.documents.where("case_id = ? AND kind = ? AND signed = 1", (case_id, document_kind(kind)),
                                          order_by="version DESC", limit=1)
        return rows[0] if rows else None

    def content(self, document_id: str) -> bytes:
        """The frozen bytes, checked against their SHA-256 as they are read."""
        row = self.store.documents.get(document_id)
        if not is_letter(row):
            raise NotFoundError(f"document {document_id} is not a letter")
        return self.store.documents.content(document_id)
