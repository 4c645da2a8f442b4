"""Signed application packs: frozen bytes, who signed, and the admin print queue (which also takes
the signed letters of ``store.letters``: they are printed and posted the same way).

A signed pack is a ``documents`` row of kind ``application_pack`` whose PDF bytes are kept in
``blobs`` under their SHA-256 and are never regenerated; the row also keeps the fingerprint of
the case data the pack shows (so a later change can be detected) and the signers. Printing and
posting are marks on that row. Every write is journalled (the office sees the queue after
sync) and every action is in the audit log. Building the PDF is the documents layer's job:
this module stores what it is given.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from heart_desktop.store.errors import NotFoundError, StoreError

if TYPE_CHECKING:
    from heart_desktop.store.database import Store

KIND = "application_pack"
TITLE = "Application pack"
_QUEUE_SQL = """
SELECT d.id, d.case_id, c.reference, c.council, c.customer, c.postcode, d.version, d.sha256, d.size,
       d.signed_at, d.created_at, d.printed_at, d.printed_by, d.kind, d.title
FROM documents d JOIN cases c ON c.id = d.case_id
WHERE (d.kind = ? OR d.kind LIKE 'letter!_%' ESCAPE '!') AND d.signed = 1 AND d.deleted = 0
  AND d.posted_at IS NULL AND c.deleted = 0
  AND d.version = (SELECT max(version) FROM documents x
                   WHERE x.case_id = d.case_id AND x.kind = d.kind AND x.signed = 1 AND x.deleted = 0)
"""
QUEUE_KEYS = ("id", "case_id", "reference", "council", "customer", "postcode", "version", "sha256", "size",
              "signed_at", "created_at", "printed_at", "printed_by", "kind", "title")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Packs:
    def __init__(self, store: Store) -> None:
        self.store = store

    def freeze(self, case_id: str, pdf: bytes, fingerprint: str, signatures: Sequence[Mapping[str, Any]],
               signed_at: str | None = None) -> dict[str, Any]:
        """Keep a signed pack's bytes as they are, with the data fingerprint and the signers."""
        if not signatures:
            raise StoreError("A signed pack needs at least one signature.")
        digest = hashlib.sha256(pdf).hexdigest()
        when = signed_at or _now()
        documents = self.store.documents
        with self.store.transaction():
            document_id = documents.add(case_id, KIND, TITLE, pdf, signed=True, extra={
                "fingerprint": fingerprint, "signatures": [dict(s) for s in signatures], "signed_at": when})
            row = documents.get(document_id)
            if row["sha256"] != digest:
                raise StoreError("the stored pack does not match the bytes signed")
            self.store.audit.append("sign", case_id=case_id, entity="document", entity_id=document_id, detail={
                "kind": KIND, "version": row["version"], "sha256": digest, "size": len(pdf),
                "fingerprint": fingerprint,
                "signers": [{"role": s.get("role"), "name": s.get("name"), "signed_at": s.get("signed_at"),
                             "method": s.get("method") or "drawn", "witness": s.get("witness") or None}
                            for s in signatures],
            })
        return row

    def latest_signed(self, case_id: str) -> dict[str, Any] | None:
        rows = self.store.documents.where("case_id = ? AND kind = ? AND signed = 1", (case_id, KIND),
                                          order_by="version DESC", limit=1)
        return rows[0] if rows else None

    def signed_versions(self, case_id: str) -> list[dict[str, Any]]:
        return self.store.documents.where("case_id = ? AND kind = ? AND signed = 1", (case_id, KIND),
                                          order_by="version DESC")

    def content(self, document_id: str) -> bytes:
        """The frozen bytes, checked against their SHA-256 as they are read."""
        row = self.store.documents.get(document_id)
        if row["kind"] != KIND and not str(row["kind"]).startswith("letter_"):
            raise NotFoundError(f"document {document_id} is not an application pack")
        return self.store.documents.content(document_id)

    def queue(self, council: str | None = None, search: str | None = None, limit: int = 500) -> list[dict[str, Any]]:
        """Signed packs and letters not yet posted (the latest signed version of each), by council and date."""
        sql = _QUEUE_SQL
        params: list[Any] = [KIND]
        if council:
            sql += " AND c.council = ?"
            params.append(council)
        if search and search.strip():
            like = f"%{search.strip().replace(' ', '')}%"
            sql += (" AND (c.reference LIKE ? OR c.customer LIKE ? OR replace(c.postcode, ' ', '') LIKE ?)")
            params += [f"%{search.strip()}%", f"%{search.strip()}%", like]
        sql += " ORDER BY c.council, d.signed_at, c.reference LIMIT ?"
        params.append(limit)
        return [dict(zip(QUEUE_KEYS, row, strict=True)) for row in self.store.conn.execute(sql, params)]

    def mark_printed(self, document_ids: Sequence[str]) -> int:
        return self._mark(document_ids, "printed", "print")

    def mark_posted(self, document_ids: Sequence[str]) -> int:
        return self._mark(document_ids, "posted", "post")

    def _mark(self, document_ids: Sequence[str], what: str, action: str) -> int:
        when = _now()
        with self.store.transaction():
            for document_id in document_ids:
                row = self.store.documents.get(document_id)
                if not (row["kind"] == KIND or str(row["kind"]).startswith("letter_")) or not row["signed"]:
                    raise StoreError("Only signed application packs and letters go through the print queue.")
                self.store.documents.update(document_id, {f"{what}_at": when, f"{what}_by": self.store.officer})
                self.store.audit.append(action, case_id=row["case_id"], entity="document", entity_id=document_id,
                                        detail={"kind": KIND, "version": row["version"], "sha256": row["sha256"]})
        return len(document_ids)
