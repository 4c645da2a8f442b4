"""Form submissions, and the draft autosave that means no keystroke is ever lost.

The UI calls ``save_draft`` debounced (about once a second while the officer types); each call
is one small transaction whose journal entry holds only the answers that changed. A draft is a
mutable row; ``complete`` and ``sign`` freeze it, and a later edit is a new version naming the
one it replaces (``base_id``), as ODK does with ``deprecatedID``. ``drafts()`` lists what was
autosaved, for the UI to offer back on the next start.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from heart_desktop.store.errors import FormLockedError
from heart_desktop.store.repository import Repository
from heart_desktop.store.schema import FORM

if TYPE_CHECKING:
    from heart_desktop.store.database import Store

STATUSES = ("draft", "complete", "signed")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Forms(Repository):
    def __init__(self, store: Store) -> None:
        super().__init__(store, FORM)

    def start(self, case_id: str, form_id: str, form_version: str, answers: Mapping[str, Any] | None = None,
              visit_id: str | None = None) -> str:
        return self.insert({"case_id": case_id, "form_id": form_id, "form_version": form_version,
                            "answers": dict(answers or {}), "status": "draft", "visit_id": visit_id})

    def save_draft(self, submission_id: str, answers: Mapping[str, Any]) -> int:
        """Replace a draft's answers (one small transaction); returns the new ``rev``."""
        return self.update(submission_id, {"answers": dict(answers)})

    def load(self, submission_id: str) -> dict[str, Any]:
        return self.get(submission_id)

    def complete(self, submission_id: str) -> int:
        return self.update(submission_id, {"status": "complete", "completed_at": _now()})

    def sign(self, submission_id: str, signed_by: str | None = None) -> int:
        with self.store.transaction():
            rev = self.update(submission_id, {"status": "signed", "signed_at": _now(),
                                              "signed_by": signed_by or self.store.officer})
            row = self.get(submission_id)
            self.store.audit.append("sign", case_id=row["case_id"], entity=FORM.name, entity_id=submission_id,
                                    detail={"form_id": row["form_id"], "rev": rev})
        return rev

    def revise(self, submission_id: str) -> str:
        """A new draft version of a completed or signed form, naming the one it replaces."""
        old = self.get(submission_id)
        if old["status"] == "draft":
            raise FormLockedError("This form is still a draft: edit it directly.")
        return self.insert({"case_id": old["case_id"], "visit_id": old["visit_id"], "form_id": old["form_id"],
                            "form_version": old["form_version"], "answers": old["answers"], "status": "draft",
                            "base_id": submission_id})

    def drafts(self, officer: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        """Autosaved drafts, newest first, with the case they belong to (to offer back at start)."""
        sql = ("SELECT f.id, f.case_id, c.reference, c.customer, f.form_id, f.form_version, f.updated_at, "
               "f.updated_by FROM form_submissions f JOIN cases c ON c.id = f.case_id "
               "WHERE f.status = 'draft' AND f.deleted = 0 AND c.deleted = 0")
        params: list[Any] = []
        if officer is not None:
            sql += " AND f.updated_by = ?"
            params.append(officer)
        sql += " ORDER BY f.updated_at DESC LIMIT ?"
        params.append(limit)
        keys = ("id", "case_id", "reference", "customer", "form_id", "form_version", "saved_at", "saved_by")
        return [dict(zip(keys, r, strict=True)) for r in self.store.conn.execute(sql, params)]

    def _check_update(self, id: str, changes: Mapping[str, Any]) -> None:
        status = self.store.conn.execute("SELECT status FROM form_submissions WHERE id = ?", (id,)).fetchone()[0]
        if status != "draft" and "answers" in changes:
            raise FormLockedError(f"This form is {status}: its answers cannot change. Start a new version.")
        new_status = changes.get("status")
        if new_status is not None:
            if new_status not in STATUSES:
                raise FormLockedError(f"unknown form status {new_status!r}")
            if STATUSES.index(new_status) < STATUSES.index(status):
                raise FormLockedError(f"A {status} form cannot go back to {new_status}.")
