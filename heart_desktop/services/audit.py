"""Reading the audit trail: a case's access history for a manager, and the whole trail checked.

The UI's access-history tab and ``heart-desktop audit`` both read through here. Only a manager
sees a case's history in the app (``domain/permissions.py``, act ``view_audit``): unlike other
acts, a laptop not enrolled (no role yet) is refused too, since the history says who looked at
whom.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from heart_desktop.domain.audit_chain import ChainBreak
from heart_desktop.domain.permissions import ACTS, NotPermitted, may
from heart_desktop.reports.audit import export_format, write_export

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


def case_history_everywhere(store: Store, case_id: str, role: str | None = "manager",
                            transport: Any = None) -> tuple[list[dict[str, Any]], str]:
    """The case's history from this laptop and, when it can be reached, the office (every laptop's
    entries and the office's own), newest first, each entry once; with a line saying which."""
    from heart_desktop.sync.client import DeviceRevoked, SyncError
    from heart_desktop.sync.measures_client import fetch_case_history

    rows = case_history(store, case_id, role)
    try:
        office = fetch_case_history(store, case_id, transport)
    except DeviceRevoked:
        raise  # not "the office cannot be reached": the caller wipes the laptop
    except SyncError as exc:
        why = str(exc) if str(exc).startswith("the server refused") else "the office cannot be reached now"
        return rows, f"This laptop's entries only: {why}."
    seen = {(row["device_id"], row["seq"]) for row in rows}
    for entry in office:
        if (entry.get("device_id"), entry.get("seq")) not in seen:
            rows.append(history_json({**entry, "detail": {}, "hash": None}))
    rows.sort(key=lambda row: str(row["at"]), reverse=True)
    return rows, "Every laptop's entries, as the office holds them, and this laptop's not yet sent."


def history_json(row: dict[str, Any]) -> dict[str, Any]:
    """One entry as the verb's JSON and the tab's row show it."""
    return {"seq": row["seq"], "at": row["at"], "officer": row["officer"], "device_id": row["device_id"],
            "action": row["action"], "what": WORDS.get(row["action"], row["action"]), "entity": row["entity"],
            "entity_id": row["entity_id"], "reason": row["reason"], "detail": row["detail"], "hash": row["hash"]}


def verify_store(store: Store) -> tuple[int, ChainBreak | None]:
    """How many entries the laptop's trail holds and its first broken link (None: it holds)."""
    return store.audit.count(), store.audit.verify()


def export_period(store: Store, start: date, end: date, out: Path, role: str | None = "manager") -> dict[str, Any]:
    """Write this laptop's entries made from ``start`` to ``end`` (both included) to ``out`` (.csv
    or .json), in the office export's shape, with the chain checked; the export is itself
    recorded. Returns ``{"out", "from", "to", "entries", "intact"}``."""
    if history_refusal(role) is not None:
        raise NotPermitted(ACTS["view_audit"], role or "not enrolled")
    if end < start:
        raise ValueError(f"to: {end:%d/%m/%Y} is before from: {start:%d/%m/%Y}: give the period's first and last days")
    if export_format(out) is None:
        raise ValueError(f"file: {out.name} must end .csv or .json")
    low, high = start.isoformat(), f"{end.isoformat()}T99"
    rows = [row for row in store.audit.read(limit=None, oldest_first=True) if low <= str(row["at"]) < high]
    references = {case["id"]: case["reference"] for case in _cases(store, {r["case_id"] for r in rows})}
    count, broken = verify_store(store)
    chain = {"device_id": store.device_id, "entries": count, "intact": broken is None,
             "first_broken": None if broken is None else {"seq": broken.seq, "problem": broken.problem}}
    entries = [{**row, "reference": references.get(row["case_id"])} for row in rows]
    for entry in entries:
        entry.pop("id", None)
    meta = {"from": low, "to": end.isoformat(), "intact": broken is None, "chains": [chain],
            "restricted_cases": []}
    write_export(out, entries, meta)
    store.audit.append("audit_export", reason="audit export for a period",
                       detail={"from": low, "to": end.isoformat(), "entries": len(entries), "out": out.name})
    return {"out": str(out), "from": low, "to": end.isoformat(), "entries": len(entries), "intact": broken is None}


def _cases(store: Store, case_ids: set[Any]) -> list[dict[str, Any]]:
    """The reference of each case still on this laptop (a case removed since has none)."""
    from heart_desktop.store import NotFoundError

    found = []
    for case_id in sorted(str(c) for c in case_ids if c):
        try:
            found.append({"id": case_id, "reference": store.cases.get(case_id)["reference"]})
        except NotFoundError:
            continue
    return found
