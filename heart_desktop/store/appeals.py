"""Appeals on a case (policy section 12): one ``appeal`` row each, a child of its case, journalled
and synced like every other entity (``schema.APPEAL``).

The rules of each step are ``domain.appeals``; the use cases (permissions, the case reopened on a
grant, the letters) are ``services.appeals``. These plain functions only read and write the rows,
so the anonymised appeal report and the letters can read an appeal as it is stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from heart_desktop.store.errors import NotFoundError
from heart_desktop.store.records import _CaseChild
from heart_desktop.store.schema import APPEAL

if TYPE_CHECKING:
    from heart_desktop.store.database import Store


class Appeals(_CaseChild):
    """The ``appeal`` rows; the stage is kept on the row (as ``domain.appeals.stage`` works it out)
    so lists and the office can show it without the rules."""

    def __init__(self, store: Store) -> None:
        super().__init__(store, APPEAL)


def for_case(db: Store, case_id: str) -> list[dict[str, Any]]:
    """The case's appeals, the first lodged first."""
    return db.appeals.for_case(case_id)


def get(db: Store, appeal_id: str) -> dict[str, Any]:
    return db.appeals.get(appeal_id)


def latest(db: Store, case_id: str) -> dict[str, Any] | None:
    """The case's most recent appeal (the one its letters are about unless another is named)."""
    rows = for_case(db, case_id)
    return rows[-1] if rows else None


def lodge(db: Store, case_id: str, values: Mapping[str, Any]) -> str:
    """A new appeal (checked by ``domain.appeals.check_lodge``); the officer who recorded it is kept."""
    db.cases.get(case_id)  # NotFoundError for a case not in this store
    with db.transaction():
        appeal_id = db.appeals.insert({**values, "case_id": case_id, "lodged_by": db.officer})
        db.audit.append("change", case_id=case_id, entity="appeal", entity_id=appeal_id,
                        detail={"appeal": "lodged", "kind": values.get("kind")})
    return appeal_id


def record_step(db: Store, appeal_id: str, step: str, changes: Mapping[str, Any],
                reason: str | None = None) -> dict[str, Any]:
    """Write one step of the appeal (``answer``, ``decide``, ``escalate``, ``outcome``) and return the
    row as it now stands; the step is named in the audit trail, with ``reason`` where the step has one."""
    row = db.appeals.find(appeal_id)
    if row is None:
        raise NotFoundError(f"there is no appeal {appeal_id}")
    with db.transaction():
        db.appeals.update(appeal_id, dict(changes))
        db.audit.append("change", case_id=row["case_id"], entity="appeal", entity_id=appeal_id, reason=reason,
                        detail={"appeal": step, "stage": changes.get("stage", row.get("stage"))})
    return db.appeals.get(appeal_id)
