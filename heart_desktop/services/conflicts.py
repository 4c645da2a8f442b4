"""The conflicts a sync left to decide: list them with their case references, and decide one.

Deciding writes the chosen value through the store (journalled, so it syncs), and the commit
announces the change, so the open case and the caseload show the decision at once.
"""

from __future__ import annotations

from typing import Any

from heart_desktop.services.workbench import Workbench


def open_conflicts(bench: Workbench) -> list[dict[str, Any]]:
    """Each open conflict, with the reference of its case."""
    store = bench.store
    if store is None:
        return []
    rows = store.conflicts.open()
    case_ids = sorted({str(row["case_id"]) for row in rows if row.get("case_id")})
    found = {case_id: store.cases.find(case_id) for case_id in case_ids}
    references = {case_id: row["reference"] for case_id, row in found.items() if row is not None}
    return [{**row, "reference": references.get(row["case_id"], "")} for row in rows]


def resolve(bench: Workbench, conflict_id: str, resolution: str, value: Any = None) -> None:
    """Keep this laptop's value (``kept``), take the office's (``offered``) or write another (``edited``)."""
    bench._store().conflicts.resolve(conflict_id, resolution, value)
