"""Reading the audit trail: a case's access history for a manager, and the whole trail checked.

The UI's access-history tab and ``heart-desktop audit`` both read through here. Only a manager
sees a case's history in the app (``domain/permissions.py``, act ``view_audit``): unlike other
acts, a laptop not enrolled (no role yet) is refused too, since the history says who looked at
whom.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from heart_desktop.domain.audit_chain import ChainBreak
from heart_desktop.domain.permissions import ACTS, NotPermitted, may

if TYPE_CHECKING:
    from heart_desktop.store.database import Store

WORDS = {"view": "viewed", "print": "printed", "export": "exported", "sign": "signed", "post": "posted",
         "change": "changed", "subject_access": "subject access request", "retention": "retention",
         "erasure": "erased", "audit_export": "audit exported"}


def history_refusal(role: str | None) -> str | None:
    """Why this role may not see a case's access history, or None for a manager."""
    if role is not None and may(role, "view_audit"):
        return None
    return str(NotPermitted(ACTS["view_audit"], role or "not enrolled"))


def case_history(store: Store, case_id: str, role: str | None = "manager", limit: int | None = None
                 ) -> list[dict[str, Any]]:
    """Who viewed, printed, exported or changed the case, newest first (``role`` is checked)."""
    if history_refusal(role) is not None:
        raise NotPermitted(ACTS["view_audit"], role or "not enrolled")
    rows = store.audit.read(case_id=case_id, limit=limit)
    return [history_json(row) for row in rows]


def history_json(row: dict[str, Any]) -> dict[str, Any]:
    """One entry as the verb's JSON and the tab's row show it."""
    return {"seq": row["seq"], "at": row["at"], "officer": row["officer"], "device_id": row["device_id"],
            "action": row["action"], "what": WORDS.get(row["action"], row["action"]), "entity": row["entity"],
            "entity_id": row["entity_id"], "reason": row["reason"], "detail": row["detail"], "hash": row["hash"]}


def verify_store(store: Store) -> tuple[int, ChainBreak | None]:
    """How many entries the laptop's trail holds and its first broken link (None: it holds)."""
    return store.audit.count(), store.audit.verify()
